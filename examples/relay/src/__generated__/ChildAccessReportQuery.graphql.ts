/**
 * @generated SignedSource<<1f3162ab14f387eee398be91e2bd0555>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ChildAccessReportQuery$variables = {
  childId: string;
};
export type ChildAccessReportQuery$data = {
  readonly childAccessReport: {
    readonly childId: string;
    readonly readers: ReadonlyArray<{
      readonly actorSubject: string;
      readonly agencyCode: string | null | undefined;
      readonly firstReadAt: string;
      readonly lastReadAt: string;
      readonly reads: number;
    }>;
  };
};
export type ChildAccessReportQuery = {
  response: ChildAccessReportQuery$data;
  variables: ChildAccessReportQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "childId"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "childId",
        "variableName": "childId"
      }
    ],
    "concreteType": "ChildAccessReport",
    "kind": "LinkedField",
    "name": "childAccessReport",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "childId",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "concreteType": "AccessReportLine",
        "kind": "LinkedField",
        "name": "readers",
        "plural": true,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "actorSubject",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "agencyCode",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "reads",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "firstReadAt",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "lastReadAt",
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "ChildAccessReportQuery",
    "selections": (v1/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ChildAccessReportQuery",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "56c429582ca66784f7dbf24274d0016b",
    "id": null,
    "metadata": {},
    "name": "ChildAccessReportQuery",
    "operationKind": "query",
    "text": "query ChildAccessReportQuery(\n  $childId: ID!\n) {\n  childAccessReport(childId: $childId) {\n    childId\n    readers {\n      actorSubject\n      agencyCode\n      reads\n      firstReadAt\n      lastReadAt\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "8157163fc5f1fa4e42393736efcabe21";

export default node;

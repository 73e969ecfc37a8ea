/**
 * @generated SignedSource<<cfad2b243d24dd54cbdabdbf7c382dff>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ReactivateAgencyInput = {
  agencyId: string;
  expectedVersion: number;
};
export type ReactivateAgencyMutation$variables = {
  input: ReactivateAgencyInput;
};
export type ReactivateAgencyMutation$data = {
  readonly reactivateAgency: {
    readonly agency: {
      readonly active: boolean;
      readonly code: string;
      readonly id: string;
      readonly version: number;
    };
  };
};
export type ReactivateAgencyMutation = {
  response: ReactivateAgencyMutation$data;
  variables: ReactivateAgencyMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "AgencyPayload",
    "kind": "LinkedField",
    "name": "reactivateAgency",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Agency",
        "kind": "LinkedField",
        "name": "agency",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "id",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "code",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "active",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "version",
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
    "name": "ReactivateAgencyMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ReactivateAgencyMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "98557d942de64d8ea0065355c6c01eb1",
    "id": null,
    "metadata": {},
    "name": "ReactivateAgencyMutation",
    "operationKind": "mutation",
    "text": "mutation ReactivateAgencyMutation(\n  $input: ReactivateAgencyInput!\n) {\n  reactivateAgency(input: $input) {\n    agency {\n      id\n      code\n      active\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "7a814db4b673fd95fd8980a902accd4f";

export default node;

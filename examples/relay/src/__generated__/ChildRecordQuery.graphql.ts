/**
 * @generated SignedSource<<d479d093d734e781e5674f87f24991f2>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type InvolvementRole = "LEAD" | "PARTNER" | "%future added value";
export type ChildRecordQuery$variables = {
  id: string;
};
export type ChildRecordQuery$data = {
  readonly child: {
    readonly deadlines: ReadonlyArray<{
      readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_deadline">;
    }>;
    readonly involvements: ReadonlyArray<{
      readonly active: boolean;
      readonly agency: {
        readonly code: string;
        readonly name: string;
      };
      readonly id: string;
      readonly role: InvolvementRole;
      readonly version: number;
    }>;
    readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_child">;
  };
};
export type ChildRecordQuery = {
  response: ChildRecordQuery$data;
  variables: ChildRecordQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "id"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "role",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "active",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v9 = [
  (v6/*:: as any*/),
  (v7/*:: as any*/),
  (v2/*:: as any*/)
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "ChildRecordQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Child",
        "kind": "LinkedField",
        "name": "child",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "ChildRecordQuery_child"
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvements",
            "plural": true,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": [
                  (v6/*:: as any*/),
                  (v7/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Deadline",
            "kind": "LinkedField",
            "name": "deadlines",
            "plural": true,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "ChildRecordQuery_deadline"
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ChildRecordQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Child",
        "kind": "LinkedField",
        "name": "child",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "givenName",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "familyName",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "dateOfBirth",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "gender",
            "storageKey": null
          },
          (v8/*:: as any*/),
          (v5/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Agency",
            "kind": "LinkedField",
            "name": "leadAgency",
            "plural": false,
            "selections": (v9/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvements",
            "plural": true,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": (v9/*:: as any*/),
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Deadline",
            "kind": "LinkedField",
            "name": "deadlines",
            "plural": true,
            "selections": [
              (v2/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "kind",
                "storageKey": null
              },
              (v8/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "startedAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "dueAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "metAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "lateReason",
                "storageKey": null
              },
              (v5/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "responsibleAgency",
                "plural": false,
                "selections": [
                  (v6/*:: as any*/),
                  (v2/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "12b43c0b6155faf8a6f914f6ec8e34e9",
    "id": null,
    "metadata": {},
    "name": "ChildRecordQuery",
    "operationKind": "query",
    "text": "query ChildRecordQuery(\n  $id: ID!\n) {\n  child(id: $id) {\n    ...ChildRecordQuery_child\n    involvements {\n      id\n      role\n      active\n      version\n      agency {\n        code\n        name\n        id\n      }\n    }\n    deadlines {\n      ...ChildRecordQuery_deadline\n      id\n    }\n    id\n  }\n}\n\nfragment ChildRecordQuery_child on Child {\n  id\n  givenName\n  familyName\n  dateOfBirth\n  gender\n  status\n  version\n  leadAgency {\n    code\n    name\n    id\n  }\n}\n\nfragment ChildRecordQuery_deadline on Deadline {\n  id\n  kind\n  status\n  startedAt\n  dueAt\n  metAt\n  lateReason\n  version\n  responsibleAgency {\n    code\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "039cc2078523f2c84009d027c475b6e1";

export default node;

/**
 * @generated SignedSource<<a0f011775bdb6a7a2220651e4defb71d>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type PlanStatus = "ACTIVE" | "CLOSED" | "DRAFT" | "%future added value";
export type NodeQuery$variables = {
  id: string;
};
export type NodeQuery$data = {
  readonly node: {
    readonly __typename: string;
    readonly code?: string;
    readonly familyName?: string;
    readonly givenName?: string;
    readonly id: string;
    readonly name?: string;
    readonly status?: PlanStatus;
    readonly title?: string;
  } | null | undefined;
};
export type NodeQuery = {
  response: NodeQuery$data;
  variables: NodeQuery$variables;
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
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "id",
        "variableName": "id"
      }
    ],
    "concreteType": null,
    "kind": "LinkedField",
    "name": "node",
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
        "name": "__typename",
        "storageKey": null
      },
      {
        "kind": "InlineFragment",
        "selections": [
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
          }
        ],
        "type": "Child",
        "abstractKey": null
      },
      {
        "kind": "InlineFragment",
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "title",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "status",
            "storageKey": null
          }
        ],
        "type": "JointPlan",
        "abstractKey": null
      },
      {
        "kind": "InlineFragment",
        "selections": [
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
            "name": "name",
            "storageKey": null
          }
        ],
        "type": "Agency",
        "abstractKey": null
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
    "name": "NodeQuery",
    "selections": (v1/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "NodeQuery",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "ecd1d790956a3ad0e40169d7928483f5",
    "id": null,
    "metadata": {},
    "name": "NodeQuery",
    "operationKind": "query",
    "text": "query NodeQuery(\n  $id: ID!\n) {\n  node(id: $id) {\n    id\n    __typename\n    ... on Child {\n      givenName\n      familyName\n    }\n    ... on JointPlan {\n      title\n      status\n    }\n    ... on Agency {\n      code\n      name\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "c20c1087872aed6bdde4b179ea648428";

export default node;

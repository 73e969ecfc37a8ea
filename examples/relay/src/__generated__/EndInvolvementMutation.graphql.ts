/**
 * @generated SignedSource<<e8734c6dca93f3f6d4699c16fad66939>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type EndInvolvementInput = {
  expectedVersion: number;
  involvementId: string;
  reason: string;
};
export type EndInvolvementMutation$variables = {
  input: EndInvolvementInput;
};
export type EndInvolvementMutation$data = {
  readonly endInvolvement: {
    readonly involvement: {
      readonly active: boolean;
      readonly endReason: string | null | undefined;
      readonly endedOn: string | null | undefined;
      readonly id: string;
      readonly version: number;
    };
  };
};
export type EndInvolvementMutation = {
  response: EndInvolvementMutation$data;
  variables: EndInvolvementMutation$variables;
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
    "concreteType": "EndInvolvementPayload",
    "kind": "LinkedField",
    "name": "endInvolvement",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Involvement",
        "kind": "LinkedField",
        "name": "involvement",
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
            "name": "active",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "endedOn",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "endReason",
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
    "name": "EndInvolvementMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "EndInvolvementMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "f5a1f15c1a7d17d480e76e03052ba465",
    "id": null,
    "metadata": {},
    "name": "EndInvolvementMutation",
    "operationKind": "mutation",
    "text": "mutation EndInvolvementMutation(\n  $input: EndInvolvementInput!\n) {\n  endInvolvement(input: $input) {\n    involvement {\n      id\n      active\n      endedOn\n      endReason\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "1a9551a2f7d366b4711eeac801ecee09";

export default node;

/**
 * @generated SignedSource<<071fecd0170e7e8c8cef645eceaba389>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ActionStatus = "AGREED" | "AWAITING_CONSULTATION" | "BLOCKED" | "CANCELLED" | "DONE" | "IN_PROGRESS" | "PROPOSED" | "%future added value";
export type UpdatePlanActionStatusInput = {
  actionId: string;
  expectedVersion: number;
  status: ActionStatus;
};
export type UpdatePlanActionStatusMutation$variables = {
  input: UpdatePlanActionStatusInput;
};
export type UpdatePlanActionStatusMutation$data = {
  readonly updatePlanActionStatus: {
    readonly action: {
      readonly id: string;
      readonly status: ActionStatus;
      readonly version: number;
    };
  };
};
export type UpdatePlanActionStatusMutation = {
  response: UpdatePlanActionStatusMutation$data;
  variables: UpdatePlanActionStatusMutation$variables;
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
    "concreteType": "UpdatePlanActionStatusPayload",
    "kind": "LinkedField",
    "name": "updatePlanActionStatus",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "PlanAction",
        "kind": "LinkedField",
        "name": "action",
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
            "name": "status",
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
    "name": "UpdatePlanActionStatusMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "UpdatePlanActionStatusMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "7f394e5dca20a91e4cd3edf1c2932d8a",
    "id": null,
    "metadata": {},
    "name": "UpdatePlanActionStatusMutation",
    "operationKind": "mutation",
    "text": "mutation UpdatePlanActionStatusMutation(\n  $input: UpdatePlanActionStatusInput!\n) {\n  updatePlanActionStatus(input: $input) {\n    action {\n      id\n      status\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "e9e731294f7367b7bb7757063e840d03";

export default node;

/**
 * @generated SignedSource<<a6c6eb7aa6996d9db7e0dde42f9be20b>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type PlanStatus = "ACTIVE" | "CLOSED" | "DRAFT" | "%future added value";
export type PlanVersionInput = {
  expectedVersion: number;
  planId: string;
};
export type CloseJointPlanMutation$variables = {
  input: PlanVersionInput;
};
export type CloseJointPlanMutation$data = {
  readonly closeJointPlan: {
    readonly jointPlan: {
      readonly closedAt: string | null | undefined;
      readonly id: string;
      readonly status: PlanStatus;
      readonly version: number;
    };
  };
};
export type CloseJointPlanMutation = {
  response: CloseJointPlanMutation$data;
  variables: CloseJointPlanMutation$variables;
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
    "concreteType": "JointPlanPayload",
    "kind": "LinkedField",
    "name": "closeJointPlan",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "JointPlan",
        "kind": "LinkedField",
        "name": "jointPlan",
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
            "name": "closedAt",
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
    "name": "CloseJointPlanMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "CloseJointPlanMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "8ed017c3ee4a65767c1fa37c56b70430",
    "id": null,
    "metadata": {},
    "name": "CloseJointPlanMutation",
    "operationKind": "mutation",
    "text": "mutation CloseJointPlanMutation(\n  $input: PlanVersionInput!\n) {\n  closeJointPlan(input: $input) {\n    jointPlan {\n      id\n      status\n      closedAt\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "3ae07f30e6b4da99f4f02968bec14710";

export default node;

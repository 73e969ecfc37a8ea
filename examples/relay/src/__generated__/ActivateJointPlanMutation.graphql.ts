/**
 * @generated SignedSource<<88016d401d16304653ed3560f813f8d1>>
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
export type ActivateJointPlanMutation$variables = {
  input: PlanVersionInput;
};
export type ActivateJointPlanMutation$data = {
  readonly activateJointPlan: {
    readonly jointPlan: {
      readonly activatedAt: string | null | undefined;
      readonly id: string;
      readonly nextReviewDue: string | null | undefined;
      readonly status: PlanStatus;
      readonly version: number;
    };
  };
};
export type ActivateJointPlanMutation = {
  response: ActivateJointPlanMutation$data;
  variables: ActivateJointPlanMutation$variables;
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
    "name": "activateJointPlan",
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
            "name": "activatedAt",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "nextReviewDue",
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
    "name": "ActivateJointPlanMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "ActivateJointPlanMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "424511e5e1d733b56dcd7589e06cbfe0",
    "id": null,
    "metadata": {},
    "name": "ActivateJointPlanMutation",
    "operationKind": "mutation",
    "text": "mutation ActivateJointPlanMutation(\n  $input: PlanVersionInput!\n) {\n  activateJointPlan(input: $input) {\n    jointPlan {\n      id\n      status\n      activatedAt\n      nextReviewDue\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "6a218e163ad75e8fe559ce24a26e7ac5";

export default node;

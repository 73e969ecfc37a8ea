/**
 * @generated SignedSource<<fd3b950e08a31908e05c2b32364079ac>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ActionStatus = "AGREED" | "AWAITING_CONSULTATION" | "BLOCKED" | "CANCELLED" | "DONE" | "IN_PROGRESS" | "PROPOSED" | "%future added value";
export type ConsultationStatus = "AGREED" | "OBJECTED" | "OVERRIDDEN" | "REQUESTED" | "%future added value";
export type OverrideConsultationInput = {
  consultationId: string;
  expectedVersion: number;
  reason: string;
};
export type OverrideConsultationMutation$variables = {
  input: OverrideConsultationInput;
};
export type OverrideConsultationMutation$data = {
  readonly overrideConsultation: {
    readonly consultation: {
      readonly action: {
        readonly id: string;
        readonly status: ActionStatus;
        readonly version: number;
      } | null | undefined;
      readonly id: string;
      readonly overrideReason: string | null | undefined;
      readonly status: ConsultationStatus;
      readonly version: number;
    };
  };
};
export type OverrideConsultationMutation = {
  response: OverrideConsultationMutation$data;
  variables: OverrideConsultationMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v4 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "ConsultationPayload",
    "kind": "LinkedField",
    "name": "overrideConsultation",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Consultation",
        "kind": "LinkedField",
        "name": "consultation",
        "plural": false,
        "selections": [
          (v1/*:: as any*/),
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "overrideReason",
            "storageKey": null
          },
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "PlanAction",
            "kind": "LinkedField",
            "name": "action",
            "plural": false,
            "selections": [
              (v1/*:: as any*/),
              (v2/*:: as any*/),
              (v3/*:: as any*/)
            ],
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
    "name": "OverrideConsultationMutation",
    "selections": (v4/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "OverrideConsultationMutation",
    "selections": (v4/*:: as any*/)
  },
  "params": {
    "cacheID": "e8df67ef1537f355a037ceb81f85c3f7",
    "id": null,
    "metadata": {},
    "name": "OverrideConsultationMutation",
    "operationKind": "mutation",
    "text": "mutation OverrideConsultationMutation(\n  $input: OverrideConsultationInput!\n) {\n  overrideConsultation(input: $input) {\n    consultation {\n      id\n      status\n      overrideReason\n      version\n      action {\n        id\n        status\n        version\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "cc709db0f43d6900d9494e2d95b60644";

export default node;

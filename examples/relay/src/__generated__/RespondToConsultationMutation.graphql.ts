/**
 * @generated SignedSource<<b8baca4a23be1113750df577d5c53130>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ConsultationResponse = "AGREED" | "OBJECTED" | "%future added value";
export type ConsultationStatus = "AGREED" | "OBJECTED" | "OVERRIDDEN" | "REQUESTED" | "%future added value";
export type RespondToConsultationInput = {
  consultationId: string;
  expectedVersion: number;
  note?: string | null | undefined;
  response: ConsultationResponse;
};
export type RespondToConsultationMutation$variables = {
  input: RespondToConsultationInput;
};
export type RespondToConsultationMutation$data = {
  readonly respondToConsultation: {
    readonly consultation: {
      readonly id: string;
      readonly respondedAt: string | null | undefined;
      readonly responseNote: string | null | undefined;
      readonly status: ConsultationStatus;
      readonly version: number;
    };
  };
};
export type RespondToConsultationMutation = {
  response: RespondToConsultationMutation$data;
  variables: RespondToConsultationMutation$variables;
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
    "concreteType": "ConsultationPayload",
    "kind": "LinkedField",
    "name": "respondToConsultation",
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
            "name": "responseNote",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "respondedAt",
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
    "name": "RespondToConsultationMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "RespondToConsultationMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "775e1c610e9b941e104f0cb6821a233b",
    "id": null,
    "metadata": {},
    "name": "RespondToConsultationMutation",
    "operationKind": "mutation",
    "text": "mutation RespondToConsultationMutation(\n  $input: RespondToConsultationInput!\n) {\n  respondToConsultation(input: $input) {\n    consultation {\n      id\n      status\n      responseNote\n      respondedAt\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "169b7773b335b810226c72f31e3e4ca1";

export default node;

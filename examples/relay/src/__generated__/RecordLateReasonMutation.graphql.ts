/**
 * @generated SignedSource<<bb9dd1758e7389b4ec03f5705115db63>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type DeadlineKind = "ASSESSMENT_COMPLETED" | "DISCLOSURE_TO_OUTCOME" | "INITIAL_CP_CONFERENCE" | "PLAN_REVIEW" | "REFERRAL_DECISION" | "STRATEGY_DISCUSSION" | "TRANSITION_PLANNING" | "%future added value";
export type DeadlineStatus = "DUE" | "MET" | "MET_LATE" | "OVERDUE" | "%future added value";
export type RecordLateReasonInput = {
  deadlineId: string;
  expectedVersion: number;
  reason: string;
};
export type RecordLateReasonMutation$variables = {
  input: RecordLateReasonInput;
};
export type RecordLateReasonMutation$data = {
  readonly recordLateReason: {
    readonly deadline: {
      readonly id: string;
      readonly kind: DeadlineKind;
      readonly lateReason: string | null | undefined;
      readonly status: DeadlineStatus;
      readonly version: number;
    };
  };
};
export type RecordLateReasonMutation = {
  response: RecordLateReasonMutation$data;
  variables: RecordLateReasonMutation$variables;
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
    "concreteType": "RecordLateReasonPayload",
    "kind": "LinkedField",
    "name": "recordLateReason",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Deadline",
        "kind": "LinkedField",
        "name": "deadline",
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
            "name": "kind",
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
            "name": "lateReason",
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
    "name": "RecordLateReasonMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "RecordLateReasonMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "74a1034989af63d144161124dd049dbe",
    "id": null,
    "metadata": {},
    "name": "RecordLateReasonMutation",
    "operationKind": "mutation",
    "text": "mutation RecordLateReasonMutation(\n  $input: RecordLateReasonInput!\n) {\n  recordLateReason(input: $input) {\n    deadline {\n      id\n      kind\n      status\n      lateReason\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "0d2dd211c6be646c9e63f48275ad0f0f";

export default node;

/**
 * @generated SignedSource<<7d1ec0782c208e101a4975b6435f3bb3>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ChronologyKind = "ASSESSMENT_COMPLETED" | "ASSESSMENT_STARTED" | "CASE_CLOSED" | "CHARGE" | "DISCLOSURE" | "FIRST_COURT_HEARING" | "INITIAL_CP_CONFERENCE" | "NOTE" | "NO_FURTHER_ACTION" | "OUTCOME" | "OUT_OF_COURT_DISPOSAL" | "PLAN_REVIEW" | "POLICE_INTERVIEW" | "REFERRAL" | "REFERRAL_DECISION" | "SECTION_47_STARTED" | "STRATEGY_DISCUSSION" | "%future added value";
export type Sensitivity = "RESTRICTED" | "STANDARD" | "%future added value";
export type AddChronologyEntryInput = {
  behaviourId?: string | null | undefined;
  childId: string;
  kind: ChronologyKind;
  occurredAt: string;
  sensitivity?: Sensitivity;
  sharedWith?: ReadonlyArray<string>;
  summary: string;
};
export type AddChronologyEntryMutation$variables = {
  input: AddChronologyEntryInput;
};
export type AddChronologyEntryMutation$data = {
  readonly addChronologyEntry: {
    readonly entry: {
      readonly id: string;
      readonly kind: ChronologyKind;
      readonly occurredAt: string;
      readonly recordingAgency: {
        readonly code: string;
      };
      readonly restricted: boolean;
      readonly summary: string | null | undefined;
    };
  };
};
export type AddChronologyEntryMutation = {
  response: AddChronologyEntryMutation$data;
  variables: AddChronologyEntryMutation$variables;
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
    "kind": "Variable",
    "name": "input",
    "variableName": "input"
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
  "name": "kind",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "occurredAt",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "restricted",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "summary",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "AddChronologyEntryMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddChronologyEntryPayload",
        "kind": "LinkedField",
        "name": "addChronologyEntry",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "ChronologyEntry",
            "kind": "LinkedField",
            "name": "entry",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              (v6/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "recordingAgency",
                "plural": false,
                "selections": [
                  (v7/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "AddChronologyEntryMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddChronologyEntryPayload",
        "kind": "LinkedField",
        "name": "addChronologyEntry",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "ChronologyEntry",
            "kind": "LinkedField",
            "name": "entry",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              (v6/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "recordingAgency",
                "plural": false,
                "selections": [
                  (v7/*:: as any*/),
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
    "cacheID": "28c7f9401abac4dd58dce74ddb48909f",
    "id": null,
    "metadata": {},
    "name": "AddChronologyEntryMutation",
    "operationKind": "mutation",
    "text": "mutation AddChronologyEntryMutation(\n  $input: AddChronologyEntryInput!\n) {\n  addChronologyEntry(input: $input) {\n    entry {\n      id\n      kind\n      occurredAt\n      restricted\n      summary\n      recordingAgency {\n        code\n        id\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "b3be505db02ac92a1b4b47059da445d6";

export default node;

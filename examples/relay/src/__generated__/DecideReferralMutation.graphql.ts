/**
 * @generated SignedSource<<a69cf8ad349fcbab87b1a76a238dd3d8>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type ReferralDecision = "ADD_TO_CASE_TEAM" | "ALREADY_KNOWN_NO_CHANGE" | "NO_FURTHER_ACTION" | "%future added value";
export type ReferralStatus = "ADD_TO_CASE_TEAM" | "ALREADY_KNOWN_NO_CHANGE" | "NO_FURTHER_ACTION" | "RECEIVED" | "%future added value";
export type DecideReferralInput = {
  decision: ReferralDecision;
  expectedVersion: number;
  note: string;
  referralId: string;
};
export type DecideReferralMutation$variables = {
  input: DecideReferralInput;
};
export type DecideReferralMutation$data = {
  readonly decideReferral: {
    readonly referral: {
      readonly decidedAt: string | null | undefined;
      readonly decisionNote: string | null | undefined;
      readonly id: string;
      readonly status: ReferralStatus;
      readonly version: number;
    };
  };
};
export type DecideReferralMutation = {
  response: DecideReferralMutation$data;
  variables: DecideReferralMutation$variables;
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
    "concreteType": "DecideReferralPayload",
    "kind": "LinkedField",
    "name": "decideReferral",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Referral",
        "kind": "LinkedField",
        "name": "referral",
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
            "name": "decisionNote",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "decidedAt",
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
    "name": "DecideReferralMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "DecideReferralMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "ce5df1f751a295327dce5c1b84784b2e",
    "id": null,
    "metadata": {},
    "name": "DecideReferralMutation",
    "operationKind": "mutation",
    "text": "mutation DecideReferralMutation(\n  $input: DecideReferralInput!\n) {\n  decideReferral(input: $input) {\n    referral {\n      id\n      status\n      decisionNote\n      decidedAt\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "9e88afd8046caf15b413d0c1ace4b806";

export default node;

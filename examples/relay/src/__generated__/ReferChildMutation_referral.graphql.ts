/**
 * @generated SignedSource<<57c628ead54ec12a06956c699a276bd7>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ReferralStatus = "ADD_TO_CASE_TEAM" | "ALREADY_KNOWN_NO_CHANGE" | "NO_FURTHER_ACTION" | "RECEIVED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type ReferChildMutation_referral$data = {
  readonly id: string;
  readonly reason: string;
  readonly referredAt: string;
  readonly status: ReferralStatus;
  readonly version: number;
  readonly " $fragmentType": "ReferChildMutation_referral";
};
export type ReferChildMutation_referral$key = {
  readonly " $data"?: ReferChildMutation_referral$data;
  readonly " $fragmentSpreads": FragmentRefs<"ReferChildMutation_referral">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "ReferChildMutation_referral",
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
      "name": "reason",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "referredAt",
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
  "type": "Referral",
  "abstractKey": null
};

(node as any).hash = "840417c3c90ea74956fc7a8166f0c796";

export default node;

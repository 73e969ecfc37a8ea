/**
 * @generated SignedSource<<597426c38993e81b23bc94fffb96f0a0>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type PlanEventKind = "ACTION_ADDED" | "ACTION_STATUS_CHANGED" | "AGENCY_DEACTIVATED" | "CONSULTATION_ANSWERED" | "CONSULTATION_OVERRIDDEN" | "CONSULTATION_REQUESTED" | "EMERGENCY_ACCESS" | "ESCALATION" | "LEAD_AGENCY_DEACTIVATED" | "PLAN_ACTIVATED" | "PLAN_CLOSED" | "PLAN_CREATED" | "PLAN_MEMBER_ADDED" | "PLAN_MEMBER_REMOVED" | "PLAN_REVIEWED" | "REFERRAL_DECIDED" | "REFERRAL_RECEIVED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CaseTeamEventsSubscription_event$data = {
  readonly kind: PlanEventKind;
  readonly occurredAt: string;
  readonly seq: string;
  readonly summary: string;
  readonly " $fragmentType": "CaseTeamEventsSubscription_event";
};
export type CaseTeamEventsSubscription_event$key = {
  readonly " $data"?: CaseTeamEventsSubscription_event$data;
  readonly " $fragmentSpreads": FragmentRefs<"CaseTeamEventsSubscription_event">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "CaseTeamEventsSubscription_event",
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "seq",
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
      "name": "occurredAt",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "summary",
      "storageKey": null
    }
  ],
  "type": "PlanEvent",
  "abstractKey": null
};

(node as any).hash = "2b2d50d98b2a4e96eae33e617e78e0f5";

export default node;

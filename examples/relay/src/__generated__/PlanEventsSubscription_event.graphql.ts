/**
 * @generated SignedSource<<fb71e8468c40a6f6e10a987ec41a4e07>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type PlanEventKind = "ACTION_ADDED" | "ACTION_STATUS_CHANGED" | "AGENCY_DEACTIVATED" | "CONSULTATION_ANSWERED" | "CONSULTATION_OVERRIDDEN" | "CONSULTATION_REQUESTED" | "EMERGENCY_ACCESS" | "ESCALATION" | "LEAD_AGENCY_DEACTIVATED" | "PLAN_ACTIVATED" | "PLAN_CLOSED" | "PLAN_CREATED" | "PLAN_MEMBER_ADDED" | "PLAN_MEMBER_REMOVED" | "PLAN_REVIEWED" | "REFERRAL_DECIDED" | "REFERRAL_RECEIVED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type PlanEventsSubscription_event$data = {
  readonly kind: PlanEventKind;
  readonly occurredAt: string;
  readonly seq: string;
  readonly summary: string;
  readonly " $fragmentType": "PlanEventsSubscription_event";
};
export type PlanEventsSubscription_event$key = {
  readonly " $data"?: PlanEventsSubscription_event$data;
  readonly " $fragmentSpreads": FragmentRefs<"PlanEventsSubscription_event">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "PlanEventsSubscription_event",
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

(node as any).hash = "7696066486158dda3cf9748ed04b767f";

export default node;

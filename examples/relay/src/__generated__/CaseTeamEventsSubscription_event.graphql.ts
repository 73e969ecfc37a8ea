/**
 * @generated SignedSource<<b190a2d5e703cd1d28c82aa512e81cb8>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ActionStatus = "AGREED" | "AWAITING_CONSULTATION" | "BLOCKED" | "CANCELLED" | "DONE" | "IN_PROGRESS" | "PROPOSED" | "%future added value";
export type ConsultationStatus = "AGREED" | "OBJECTED" | "OVERRIDDEN" | "REQUESTED" | "%future added value";
export type PlanEventKind = "ACTION_ADDED" | "ACTION_STATUS_CHANGED" | "AGENCY_DEACTIVATED" | "CONSULTATION_ANSWERED" | "CONSULTATION_OVERRIDDEN" | "CONSULTATION_REQUESTED" | "DISCLOSURE_DECIDED" | "DISCLOSURE_REQUESTED" | "EMERGENCY_ACCESS" | "ESCALATION" | "LEAD_AGENCY_DEACTIVATED" | "PLAN_ACTIVATED" | "PLAN_CLOSED" | "PLAN_CREATED" | "PLAN_MEMBER_ADDED" | "PLAN_MEMBER_REMOVED" | "PLAN_REVIEWED" | "REFERRAL_DECIDED" | "REFERRAL_RECEIVED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CaseTeamEventsSubscription_event$data = {
  readonly action: {
    readonly id: string;
    readonly status: ActionStatus;
  } | null | undefined;
  readonly childId: string | null | undefined;
  readonly consultation: {
    readonly id: string;
    readonly status: ConsultationStatus;
  } | null | undefined;
  readonly kind: PlanEventKind;
  readonly occurredAt: string;
  readonly planId: string | null | undefined;
  readonly seq: string;
  readonly summary: string;
  readonly " $fragmentType": "CaseTeamEventsSubscription_event";
};
export type CaseTeamEventsSubscription_event$key = {
  readonly " $data"?: CaseTeamEventsSubscription_event$data;
  readonly " $fragmentSpreads": FragmentRefs<"CaseTeamEventsSubscription_event">;
};

const node: ReaderFragment = (function(){
var v0 = [
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
  }
];
return {
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
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "planId",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "childId",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "PlanAction",
      "kind": "LinkedField",
      "name": "action",
      "plural": false,
      "selections": (v0/*:: as any*/),
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Consultation",
      "kind": "LinkedField",
      "name": "consultation",
      "plural": false,
      "selections": (v0/*:: as any*/),
      "storageKey": null
    }
  ],
  "type": "PlanEvent",
  "abstractKey": null
};
})();

(node as any).hash = "480552ae77d731e46db84fdbbbb567cb";

export default node;

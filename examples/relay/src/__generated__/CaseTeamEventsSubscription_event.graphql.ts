/**
 * @generated SignedSource<<e7518df40ec1c0abb845bb0e34617f11>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CaseTeamEventsSubscription_event$data = {
  readonly kind: string;
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

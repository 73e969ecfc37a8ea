/**
 * @generated SignedSource<<d4b4ed1e96c074d9b09433ff8437695f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type PlanEventsSubscription_event$data = {
  readonly kind: string;
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

/**
 * @generated SignedSource<<edab0ccafc90cf519e1d6aa6f5772baa>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AuditOutcome = "ALLOWED" | "DENIED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type AuditTrailQuery_event$data = {
  readonly action: string;
  readonly actorAgencyCode: string | null | undefined;
  readonly actorSubject: string;
  readonly entityType: string;
  readonly id: string;
  readonly occurredAt: string;
  readonly outcome: AuditOutcome;
  readonly reason: string | null | undefined;
  readonly requestId: string | null | undefined;
  readonly " $fragmentType": "AuditTrailQuery_event";
};
export type AuditTrailQuery_event$key = {
  readonly " $data"?: AuditTrailQuery_event$data;
  readonly " $fragmentSpreads": FragmentRefs<"AuditTrailQuery_event">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "AuditTrailQuery_event",
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
      "name": "occurredAt",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "actorSubject",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "actorAgencyCode",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "action",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "entityType",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "outcome",
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
      "name": "requestId",
      "storageKey": null
    }
  ],
  "type": "AuditEvent",
  "abstractKey": null
};

(node as any).hash = "6bfeb97009136769220c205c22a6841a";

export default node;

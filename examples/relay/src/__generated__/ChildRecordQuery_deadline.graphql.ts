/**
 * @generated SignedSource<<b644195cc225de1194232b862ac07547>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type DeadlineKind = "ASSESSMENT_COMPLETED" | "DISCLOSURE_TO_OUTCOME" | "INITIAL_CP_CONFERENCE" | "PLAN_REVIEW" | "REFERRAL_DECISION" | "STRATEGY_DISCUSSION" | "TRANSITION_PLANNING" | "%future added value";
export type DeadlineStatus = "DUE" | "MET" | "MET_LATE" | "OVERDUE" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type ChildRecordQuery_deadline$data = {
  readonly dueAt: string;
  readonly id: string;
  readonly kind: DeadlineKind;
  readonly lateReason: string | null | undefined;
  readonly metAt: string | null | undefined;
  readonly responsibleAgency: {
    readonly code: string;
  } | null | undefined;
  readonly startedAt: string;
  readonly status: DeadlineStatus;
  readonly version: number;
  readonly " $fragmentType": "ChildRecordQuery_deadline";
};
export type ChildRecordQuery_deadline$key = {
  readonly " $data"?: ChildRecordQuery_deadline$data;
  readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_deadline">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "ChildRecordQuery_deadline",
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
      "name": "startedAt",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "dueAt",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "metAt",
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
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Agency",
      "kind": "LinkedField",
      "name": "responsibleAgency",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "code",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Deadline",
  "abstractKey": null
};

(node as any).hash = "a4d8030e9ddb56005da16e23c97a402a";

export default node;

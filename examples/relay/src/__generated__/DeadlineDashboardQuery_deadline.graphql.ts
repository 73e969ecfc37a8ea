/**
 * @generated SignedSource<<3558fc222dc648d8878e87cfd4064ca7>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type DeadlineKind = "ASSESSMENT_COMPLETED" | "DISCLOSURE_TO_OUTCOME" | "INITIAL_CP_CONFERENCE" | "PLAN_REVIEW" | "REFERRAL_DECISION" | "STRATEGY_DISCUSSION" | "TRANSITION_PLANNING" | "%future added value";
export type DeadlineStatus = "DUE" | "MET" | "MET_LATE" | "OVERDUE" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type DeadlineDashboardQuery_deadline$data = {
  readonly child: {
    readonly familyName: string;
    readonly givenName: string;
    readonly id: string;
  };
  readonly dueAt: string;
  readonly id: string;
  readonly kind: DeadlineKind;
  readonly responsibleAgency: {
    readonly name: string;
  } | null | undefined;
  readonly status: DeadlineStatus;
  readonly " $fragmentType": "DeadlineDashboardQuery_deadline";
};
export type DeadlineDashboardQuery_deadline$key = {
  readonly " $data"?: DeadlineDashboardQuery_deadline$data;
  readonly " $fragmentSpreads": FragmentRefs<"DeadlineDashboardQuery_deadline">;
};

const node: ReaderFragment = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
};
return {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "DeadlineDashboardQuery_deadline",
  "selections": [
    (v0/*:: as any*/),
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
      "name": "dueAt",
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
          "name": "name",
          "storageKey": null
        }
      ],
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Child",
      "kind": "LinkedField",
      "name": "child",
      "plural": false,
      "selections": [
        (v0/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "givenName",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "familyName",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Deadline",
  "abstractKey": null
};
})();

(node as any).hash = "5c1dccc0dccc37ed6334a3d44b4c8ba4";

export default node;

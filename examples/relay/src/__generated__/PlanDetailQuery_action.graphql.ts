/**
 * @generated SignedSource<<5d0310fbd1f413892f1fd71cd7c9274b>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ActionKind = "ASSESSMENT" | "CHARGING_DECISION" | "COURT_PROCEEDING" | "EDUCATION_CHANGE" | "INTERVENTION" | "OTHER" | "PLACEMENT_CHANGE" | "POLICE_INVESTIGATION_STEP" | "SAFETY_PLAN" | "THERAPEUTIC_SUPPORT" | "%future added value";
export type ActionStatus = "AGREED" | "AWAITING_CONSULTATION" | "BLOCKED" | "CANCELLED" | "DONE" | "IN_PROGRESS" | "PROPOSED" | "%future added value";
export type ConsultationStatus = "AGREED" | "OBJECTED" | "OVERRIDDEN" | "REQUESTED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type PlanDetailQuery_action$data = {
  readonly assignedAgency: {
    readonly code: string;
  };
  readonly consultations: ReadonlyArray<{
    readonly agency: {
      readonly code: string;
    };
    readonly status: ConsultationStatus;
  }>;
  readonly id: string;
  readonly kind: ActionKind;
  readonly status: ActionStatus;
  readonly version: number;
  readonly " $fragmentType": "PlanDetailQuery_action";
};
export type PlanDetailQuery_action$key = {
  readonly " $data"?: PlanDetailQuery_action$data;
  readonly " $fragmentSpreads": FragmentRefs<"PlanDetailQuery_action">;
};

const node: ReaderFragment = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v1 = [
  {
    "alias": null,
    "args": null,
    "kind": "ScalarField",
    "name": "code",
    "storageKey": null
  }
];
return {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "PlanDetailQuery_action",
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
    (v0/*:: as any*/),
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
      "name": "assignedAgency",
      "plural": false,
      "selections": (v1/*:: as any*/),
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Consultation",
      "kind": "LinkedField",
      "name": "consultations",
      "plural": true,
      "selections": [
        (v0/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "concreteType": "Agency",
          "kind": "LinkedField",
          "name": "agency",
          "plural": false,
          "selections": (v1/*:: as any*/),
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "PlanAction",
  "abstractKey": null
};
})();

(node as any).hash = "b2998403ba92e557fa55956fba7e45b0";

export default node;

/**
 * @generated SignedSource<<693478b38fd2d93a54bdbdd0fa68e874>>
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
export type AddPlanActionMutation_action$data = {
  readonly assignedAgency: {
    readonly code: string;
  };
  readonly consultations: ReadonlyArray<{
    readonly agency: {
      readonly code: string;
    };
    readonly id: string;
    readonly status: ConsultationStatus;
    readonly version: number;
  }>;
  readonly dueOn: string | null | undefined;
  readonly id: string;
  readonly kind: ActionKind;
  readonly status: ActionStatus;
  readonly version: number;
  readonly " $fragmentType": "AddPlanActionMutation_action";
};
export type AddPlanActionMutation_action$key = {
  readonly " $data"?: AddPlanActionMutation_action$data;
  readonly " $fragmentSpreads": FragmentRefs<"AddPlanActionMutation_action">;
};

const node: ReaderFragment = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v3 = [
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
  "name": "AddPlanActionMutation_action",
  "selections": [
    (v0/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "kind",
      "storageKey": null
    },
    (v1/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "dueOn",
      "storageKey": null
    },
    (v2/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "concreteType": "Agency",
      "kind": "LinkedField",
      "name": "assignedAgency",
      "plural": false,
      "selections": (v3/*:: as any*/),
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
        (v1/*:: as any*/),
        (v2/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "concreteType": "Agency",
          "kind": "LinkedField",
          "name": "agency",
          "plural": false,
          "selections": (v3/*:: as any*/),
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

(node as any).hash = "ef1e9fa09a5bf8d2111a5589ba277e21";

export default node;

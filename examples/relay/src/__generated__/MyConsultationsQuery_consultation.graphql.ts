/**
 * @generated SignedSource<<b409d932328840ebb719392e7b81a4c1>>
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
export type MyConsultationsQuery_consultation$data = {
  readonly action: {
    readonly description: string;
    readonly id: string;
    readonly kind: ActionKind;
    readonly plan: {
      readonly leadAgency: {
        readonly name: string;
      };
      readonly title: string;
    };
    readonly status: ActionStatus;
  } | null | undefined;
  readonly id: string;
  readonly status: ConsultationStatus;
  readonly version: number;
  readonly " $fragmentType": "MyConsultationsQuery_consultation";
};
export type MyConsultationsQuery_consultation$key = {
  readonly " $data"?: MyConsultationsQuery_consultation$data;
  readonly " $fragmentSpreads": FragmentRefs<"MyConsultationsQuery_consultation">;
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
};
return {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "MyConsultationsQuery_consultation",
  "selections": [
    (v0/*:: as any*/),
    (v1/*:: as any*/),
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
      "concreteType": "PlanAction",
      "kind": "LinkedField",
      "name": "action",
      "plural": false,
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
          "name": "description",
          "storageKey": null
        },
        (v1/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "concreteType": "JointPlan",
          "kind": "LinkedField",
          "name": "plan",
          "plural": false,
          "selections": [
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "title",
              "storageKey": null
            },
            {
              "alias": null,
              "args": null,
              "concreteType": "Agency",
              "kind": "LinkedField",
              "name": "leadAgency",
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
            }
          ],
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Consultation",
  "abstractKey": null
};
})();

(node as any).hash = "ac0de49b5d56251a40fff7dbb4f90909";

export default node;

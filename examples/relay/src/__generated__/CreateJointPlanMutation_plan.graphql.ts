/**
 * @generated SignedSource<<1ad2435b8b029a990d661adb7845b69b>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type Pathway = "BOTH" | "CHILD_IN_NEED" | "CHILD_PROTECTION" | "CRIMINAL_JUSTICE" | "EARLY_HELP" | "%future added value";
export type PlanStatus = "ACTIVE" | "CLOSED" | "DRAFT" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CreateJointPlanMutation_plan$data = {
  readonly id: string;
  readonly leadAgency: {
    readonly code: string;
  };
  readonly pathway: Pathway;
  readonly status: PlanStatus;
  readonly title: string;
  readonly version: number;
  readonly " $fragmentType": "CreateJointPlanMutation_plan";
};
export type CreateJointPlanMutation_plan$key = {
  readonly " $data"?: CreateJointPlanMutation_plan$data;
  readonly " $fragmentSpreads": FragmentRefs<"CreateJointPlanMutation_plan">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "CreateJointPlanMutation_plan",
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
      "name": "title",
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
      "name": "pathway",
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
      "name": "leadAgency",
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
  "type": "JointPlan",
  "abstractKey": null
};

(node as any).hash = "cdb0a165d03cbb27e1d8df8be867b753";

export default node;

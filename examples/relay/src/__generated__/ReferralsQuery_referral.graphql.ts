/**
 * @generated SignedSource<<06042f897f5ec406141f357806bd94ef>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type ReferralStatus = "ADD_TO_CASE_TEAM" | "ALREADY_KNOWN_NO_CHANGE" | "NO_FURTHER_ACTION" | "RECEIVED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type ReferralsQuery_referral$data = {
  readonly child: {
    readonly familyName: string;
    readonly givenName: string;
    readonly id: string;
  } | null | undefined;
  readonly id: string;
  readonly reason: string;
  readonly referredAt: string;
  readonly referringAgency: {
    readonly kind: AgencyKind;
    readonly name: string;
  };
  readonly status: ReferralStatus;
  readonly version: number;
  readonly " $fragmentType": "ReferralsQuery_referral";
};
export type ReferralsQuery_referral$key = {
  readonly " $data"?: ReferralsQuery_referral$data;
  readonly " $fragmentSpreads": FragmentRefs<"ReferralsQuery_referral">;
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
  "name": "ReferralsQuery_referral",
  "selections": [
    (v0/*:: as any*/),
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
      "name": "reason",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "referredAt",
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
      "name": "referringAgency",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "name",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "kind",
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
  "type": "Referral",
  "abstractKey": null
};
})();

(node as any).hash = "0b1674dff5fd9acdfee32bf194b5604d";

export default node;

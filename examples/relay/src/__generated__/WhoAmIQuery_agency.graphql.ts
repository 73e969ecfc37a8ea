/**
 * @generated SignedSource<<80b920ad40753e49d9142763a7b84939>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type Sector = "JUSTICE" | "WELFARE" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type WhoAmIQuery_agency$data = {
  readonly code: string;
  readonly id: string;
  readonly kind: AgencyKind;
  readonly name: string;
  readonly sector: Sector;
  readonly " $fragmentType": "WhoAmIQuery_agency";
};
export type WhoAmIQuery_agency$key = {
  readonly " $data"?: WhoAmIQuery_agency$data;
  readonly " $fragmentSpreads": FragmentRefs<"WhoAmIQuery_agency">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "WhoAmIQuery_agency",
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
      "name": "code",
      "storageKey": null
    },
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
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "sector",
      "storageKey": null
    }
  ],
  "type": "Agency",
  "abstractKey": null
};

(node as any).hash = "8ba771ac915ac32d2b57f506888e06eb";

export default node;

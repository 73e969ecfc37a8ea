/**
 * @generated SignedSource<<e990e44547bec74a05b3d781b8bdd14a>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type Sector = "JUSTICE" | "WELFARE" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type AgencyDirectoryQuery_agency$data = {
  readonly active: boolean;
  readonly code: string;
  readonly id: string;
  readonly kind: AgencyKind;
  readonly name: string;
  readonly sector: Sector;
  readonly " $fragmentType": "AgencyDirectoryQuery_agency";
};
export type AgencyDirectoryQuery_agency$key = {
  readonly " $data"?: AgencyDirectoryQuery_agency$data;
  readonly " $fragmentSpreads": FragmentRefs<"AgencyDirectoryQuery_agency">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "AgencyDirectoryQuery_agency",
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
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "active",
      "storageKey": null
    }
  ],
  "type": "Agency",
  "abstractKey": null
};

(node as any).hash = "72bff1bf0657ef29f85bf80563346d7a";

export default node;

/**
 * @generated SignedSource<<f5177e903baf7e2db26bc12c3fece6c4>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CreateAgencyMutation_agency$data = {
  readonly active: boolean;
  readonly code: string;
  readonly id: string;
  readonly kind: AgencyKind;
  readonly name: string;
  readonly version: number;
  readonly " $fragmentType": "CreateAgencyMutation_agency";
};
export type CreateAgencyMutation_agency$key = {
  readonly " $data"?: CreateAgencyMutation_agency$data;
  readonly " $fragmentSpreads": FragmentRefs<"CreateAgencyMutation_agency">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "CreateAgencyMutation_agency",
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
      "name": "active",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "version",
      "storageKey": null
    }
  ],
  "type": "Agency",
  "abstractKey": null
};

(node as any).hash = "a2281eea23fb5920c5cc4f6711d0d680";

export default node;

/**
 * @generated SignedSource<<bac3c89df24345e292cc59b1d4fb280d>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type InvolvementRole = "LEAD" | "PARTNER" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type AddInvolvementMutation_involvement$data = {
  readonly active: boolean;
  readonly agency: {
    readonly code: string;
    readonly name: string;
  };
  readonly id: string;
  readonly role: InvolvementRole;
  readonly startedOn: string;
  readonly version: number;
  readonly " $fragmentType": "AddInvolvementMutation_involvement";
};
export type AddInvolvementMutation_involvement$key = {
  readonly " $data"?: AddInvolvementMutation_involvement$data;
  readonly " $fragmentSpreads": FragmentRefs<"AddInvolvementMutation_involvement">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "AddInvolvementMutation_involvement",
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
      "name": "role",
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
      "name": "startedOn",
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
      "name": "agency",
      "plural": false,
      "selections": [
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
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Involvement",
  "abstractKey": null
};

(node as any).hash = "6ca8011173b1a09d1ed8649f7c64278d";

export default node;

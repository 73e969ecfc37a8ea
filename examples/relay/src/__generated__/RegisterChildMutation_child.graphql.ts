/**
 * @generated SignedSource<<b0534a80e56cc323538b4125f060b43f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ChildStatus = "CLOSED" | "OPEN" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type RegisterChildMutation_child$data = {
  readonly dateOfBirth: string;
  readonly familyName: string;
  readonly givenName: string;
  readonly id: string;
  readonly leadAgency: {
    readonly code: string;
    readonly name: string;
  } | null | undefined;
  readonly status: ChildStatus;
  readonly version: number;
  readonly " $fragmentType": "RegisterChildMutation_child";
};
export type RegisterChildMutation_child$key = {
  readonly " $data"?: RegisterChildMutation_child$data;
  readonly " $fragmentSpreads": FragmentRefs<"RegisterChildMutation_child">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "RegisterChildMutation_child",
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
      "name": "givenName",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "familyName",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "dateOfBirth",
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
  "type": "Child",
  "abstractKey": null
};

(node as any).hash = "8ec5630002c0d7555eb9bf55b8cb831a";

export default node;

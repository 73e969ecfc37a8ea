/**
 * @generated SignedSource<<391001d8db8bacb162f2bfce2c548593>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ChildStatus = "CLOSED" | "OPEN" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type CaseloadQuery_child$data = {
  readonly familyName: string;
  readonly givenName: string;
  readonly id: string;
  readonly leadAgency: {
    readonly name: string;
  } | null | undefined;
  readonly status: ChildStatus;
  readonly " $fragmentType": "CaseloadQuery_child";
};
export type CaseloadQuery_child$key = {
  readonly " $data"?: CaseloadQuery_child$data;
  readonly " $fragmentSpreads": FragmentRefs<"CaseloadQuery_child">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "CaseloadQuery_child",
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
      "name": "status",
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
  "type": "Child",
  "abstractKey": null
};

(node as any).hash = "37d0f6a3544c8fb54c23c863b5726b72";

export default node;

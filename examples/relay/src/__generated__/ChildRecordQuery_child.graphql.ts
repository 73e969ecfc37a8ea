/**
 * @generated SignedSource<<01b7ee8da7612b33fe21b00bfc2f6812>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type ChildStatus = "CLOSED" | "OPEN" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type ChildRecordQuery_child$data = {
  readonly dateOfBirth: string;
  readonly familyName: string;
  readonly gender: string;
  readonly givenName: string;
  readonly id: string;
  readonly leadAgency: {
    readonly code: string;
    readonly name: string;
  } | null | undefined;
  readonly status: ChildStatus;
  readonly version: number;
  readonly " $fragmentType": "ChildRecordQuery_child";
};
export type ChildRecordQuery_child$key = {
  readonly " $data"?: ChildRecordQuery_child$data;
  readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_child">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "ChildRecordQuery_child",
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
      "name": "gender",
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

(node as any).hash = "7cc1e46cb71e1480cac9c1289a526844";

export default node;

/**
 * @generated SignedSource<<1dafa6253b5cb82079298a1f01fe7ff1>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type AgencyDirectoryQuery$variables = Record<PropertyKey, never>;
export type AgencyDirectoryQuery$data = {
  readonly agencies: ReadonlyArray<{
    readonly " $fragmentSpreads": FragmentRefs<"AgencyDirectoryQuery_agency">;
  }>;
};
export type AgencyDirectoryQuery = {
  response: AgencyDirectoryQuery$data;
  variables: AgencyDirectoryQuery$variables;
};

const node: ConcreteRequest = {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "AgencyDirectoryQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Agency",
        "kind": "LinkedField",
        "name": "agencies",
        "plural": true,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "AgencyDirectoryQuery_agency"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": [],
    "kind": "Operation",
    "name": "AgencyDirectoryQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Agency",
        "kind": "LinkedField",
        "name": "agencies",
        "plural": true,
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
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "83694bfebf392e7bee9c69bd99fccb7b",
    "id": null,
    "metadata": {},
    "name": "AgencyDirectoryQuery",
    "operationKind": "query",
    "text": "query AgencyDirectoryQuery {\n  agencies {\n    ...AgencyDirectoryQuery_agency\n    id\n  }\n}\n\nfragment AgencyDirectoryQuery_agency on Agency {\n  id\n  code\n  name\n  kind\n  sector\n  active\n}\n"
  }
};

(node as any).hash = "40737af22b8ff90d6e8abe7887413e02";

export default node;

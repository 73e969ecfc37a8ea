/**
 * @generated SignedSource<<d70b1c20f1b22fa6998c8eda8af49493>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type Role = "AGENCY_LEAD" | "AUDITOR" | "COORDINATOR" | "PRACTITIONER" | "STRATEGIC_ANALYST" | "SYSTEM_ADMIN" | "%future added value";
export type WhoAmIQuery$variables = Record<PropertyKey, never>;
export type WhoAmIQuery$data = {
  readonly me: {
    readonly agency: {
      readonly " $fragmentSpreads": FragmentRefs<"WhoAmIQuery_agency">;
    };
    readonly name: string;
    readonly roles: ReadonlyArray<Role>;
    readonly subject: string;
  };
};
export type WhoAmIQuery = {
  response: WhoAmIQuery$data;
  variables: WhoAmIQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "subject",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "roles",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": [],
    "kind": "Fragment",
    "metadata": null,
    "name": "WhoAmIQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Me",
        "kind": "LinkedField",
        "name": "me",
        "plural": false,
        "selections": [
          (v0/*:: as any*/),
          (v1/*:: as any*/),
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Agency",
            "kind": "LinkedField",
            "name": "agency",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "WhoAmIQuery_agency"
              }
            ],
            "storageKey": null
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
    "name": "WhoAmIQuery",
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Me",
        "kind": "LinkedField",
        "name": "me",
        "plural": false,
        "selections": [
          (v0/*:: as any*/),
          (v1/*:: as any*/),
          (v2/*:: as any*/),
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
              (v1/*:: as any*/),
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
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "3ac3fcc754b6e1aefe65d4c3edf66765",
    "id": null,
    "metadata": {},
    "name": "WhoAmIQuery",
    "operationKind": "query",
    "text": "query WhoAmIQuery {\n  me {\n    subject\n    name\n    roles\n    agency {\n      ...WhoAmIQuery_agency\n      id\n    }\n  }\n}\n\nfragment WhoAmIQuery_agency on Agency {\n  id\n  code\n  name\n  kind\n  sector\n}\n"
  }
};
})();

(node as any).hash = "3429f7d3d319ce9a6afc09be69ba7351";

export default node;

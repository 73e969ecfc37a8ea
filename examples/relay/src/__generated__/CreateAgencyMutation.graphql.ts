/**
 * @generated SignedSource<<2dffc9b09f377e7fd208478a74b072c1>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type CreateAgencyInput = {
  code: string;
  kind: AgencyKind;
  name: string;
};
export type CreateAgencyMutation$variables = {
  input: CreateAgencyInput;
};
export type CreateAgencyMutation$data = {
  readonly createAgency: {
    readonly agency: {
      readonly " $fragmentSpreads": FragmentRefs<"CreateAgencyMutation_agency">;
    };
  };
};
export type CreateAgencyMutation = {
  response: CreateAgencyMutation$data;
  variables: CreateAgencyMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "input",
    "variableName": "input"
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "CreateAgencyMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "CreateAgencyPayload",
        "kind": "LinkedField",
        "name": "createAgency",
        "plural": false,
        "selections": [
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
                "name": "CreateAgencyMutation_agency"
              }
            ],
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "CreateAgencyMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "CreateAgencyPayload",
        "kind": "LinkedField",
        "name": "createAgency",
        "plural": false,
        "selections": [
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
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "fcb2a0e2977e0317adb4340eb952f2d1",
    "id": null,
    "metadata": {},
    "name": "CreateAgencyMutation",
    "operationKind": "mutation",
    "text": "mutation CreateAgencyMutation(\n  $input: CreateAgencyInput!\n) {\n  createAgency(input: $input) {\n    agency {\n      ...CreateAgencyMutation_agency\n      id\n    }\n  }\n}\n\nfragment CreateAgencyMutation_agency on Agency {\n  id\n  code\n  name\n  kind\n  active\n  version\n}\n"
  }
};
})();

(node as any).hash = "0893b0b731ff203517c9f29de1ae437f";

export default node;

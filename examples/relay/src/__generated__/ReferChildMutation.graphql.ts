/**
 * @generated SignedSource<<257e73cb4b795ba64b13b2ffb90771e3>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type ReferChildInput = {
  child: RegisterChildInput;
  reason: string;
  referredAt?: string | null | undefined;
};
export type RegisterChildInput = {
  dateOfBirth: string;
  familyName: string;
  gender: string;
  givenName: string;
  localAuthorityRef?: string | null | undefined;
  lookedAfter?: boolean;
  nhsNumber?: string | null | undefined;
  policeRef?: string | null | undefined;
  send?: boolean;
  uniquePupilNumber?: string | null | undefined;
};
export type ReferChildMutation$variables = {
  input: ReferChildInput;
};
export type ReferChildMutation$data = {
  readonly referChild: {
    readonly referral: {
      readonly " $fragmentSpreads": FragmentRefs<"ReferChildMutation_referral">;
    };
    readonly wasKnown: boolean;
  };
};
export type ReferChildMutation = {
  response: ReferChildMutation$data;
  variables: ReferChildMutation$variables;
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
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "wasKnown",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "ReferChildMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "ReferChildPayload",
        "kind": "LinkedField",
        "name": "referChild",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Referral",
            "kind": "LinkedField",
            "name": "referral",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "ReferChildMutation_referral"
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
    "name": "ReferChildMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "ReferChildPayload",
        "kind": "LinkedField",
        "name": "referChild",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Referral",
            "kind": "LinkedField",
            "name": "referral",
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
                "name": "status",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "reason",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "referredAt",
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
    "cacheID": "c9ac2a4f1edcc759aa74840f0db489ee",
    "id": null,
    "metadata": {},
    "name": "ReferChildMutation",
    "operationKind": "mutation",
    "text": "mutation ReferChildMutation(\n  $input: ReferChildInput!\n) {\n  referChild(input: $input) {\n    wasKnown\n    referral {\n      ...ReferChildMutation_referral\n      id\n    }\n  }\n}\n\nfragment ReferChildMutation_referral on Referral {\n  id\n  status\n  reason\n  referredAt\n  version\n}\n"
  }
};
})();

(node as any).hash = "12684a3c0150dd9aed83e97361fb94df";

export default node;

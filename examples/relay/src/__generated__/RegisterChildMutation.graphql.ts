/**
 * @generated SignedSource<<e5a285ee785d7bab8a4720eaf7a05e06>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
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
export type RegisterChildMutation$variables = {
  input: RegisterChildInput;
};
export type RegisterChildMutation$data = {
  readonly registerChild: {
    readonly child: {
      readonly " $fragmentSpreads": FragmentRefs<"RegisterChildMutation_child">;
    };
  };
};
export type RegisterChildMutation = {
  response: RegisterChildMutation$data;
  variables: RegisterChildMutation$variables;
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
  "name": "id",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "RegisterChildMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RegisterChildPayload",
        "kind": "LinkedField",
        "name": "registerChild",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Child",
            "kind": "LinkedField",
            "name": "child",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "RegisterChildMutation_child"
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
    "name": "RegisterChildMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RegisterChildPayload",
        "kind": "LinkedField",
        "name": "registerChild",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Child",
            "kind": "LinkedField",
            "name": "child",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
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
                  },
                  (v2/*:: as any*/)
                ],
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
    "cacheID": "d35f59a7bd049e69fa7979e3f058ae60",
    "id": null,
    "metadata": {},
    "name": "RegisterChildMutation",
    "operationKind": "mutation",
    "text": "mutation RegisterChildMutation(\n  $input: RegisterChildInput!\n) {\n  registerChild(input: $input) {\n    child {\n      ...RegisterChildMutation_child\n      id\n    }\n  }\n}\n\nfragment RegisterChildMutation_child on Child {\n  id\n  givenName\n  familyName\n  dateOfBirth\n  status\n  version\n  leadAgency {\n    code\n    name\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "296654f171ba2a06717e84a964bb7802";

export default node;

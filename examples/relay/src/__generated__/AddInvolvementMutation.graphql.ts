/**
 * @generated SignedSource<<5ff3ef833be88ce188c64f809fd45e86>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type InvolvementRole = "LEAD" | "PARTNER" | "%future added value";
export type AddInvolvementInput = {
  agencyId: string;
  childId: string;
  leadPractitioner?: string | null | undefined;
  reason?: string | null | undefined;
  role?: InvolvementRole;
};
export type AddInvolvementMutation$variables = {
  input: AddInvolvementInput;
};
export type AddInvolvementMutation$data = {
  readonly addInvolvement: {
    readonly involvement: {
      readonly " $fragmentSpreads": FragmentRefs<"AddInvolvementMutation_involvement">;
    };
  };
};
export type AddInvolvementMutation = {
  response: AddInvolvementMutation$data;
  variables: AddInvolvementMutation$variables;
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
    "name": "AddInvolvementMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddInvolvementPayload",
        "kind": "LinkedField",
        "name": "addInvolvement",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvement",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "AddInvolvementMutation_involvement"
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
    "name": "AddInvolvementMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddInvolvementPayload",
        "kind": "LinkedField",
        "name": "addInvolvement",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvement",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
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
    "cacheID": "8dd2a6d562fce2fa4e115618271dc886",
    "id": null,
    "metadata": {},
    "name": "AddInvolvementMutation",
    "operationKind": "mutation",
    "text": "mutation AddInvolvementMutation(\n  $input: AddInvolvementInput!\n) {\n  addInvolvement(input: $input) {\n    involvement {\n      ...AddInvolvementMutation_involvement\n      id\n    }\n  }\n}\n\nfragment AddInvolvementMutation_involvement on Involvement {\n  id\n  role\n  active\n  startedOn\n  version\n  agency {\n    code\n    name\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "2876da0e4b93b040ff58de41b58e2ccb";

export default node;

/**
 * @generated SignedSource<<7ce20b7619b7b1941a2afe32cc413296>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type ActionKind = "ASSESSMENT" | "CHARGING_DECISION" | "COURT_PROCEEDING" | "EDUCATION_CHANGE" | "INTERVENTION" | "OTHER" | "PLACEMENT_CHANGE" | "POLICE_INVESTIGATION_STEP" | "SAFETY_PLAN" | "THERAPEUTIC_SUPPORT" | "%future added value";
export type AddPlanActionInput = {
  assignedAgencyId: string;
  consult?: ReadonlyArray<string>;
  description: string;
  dueOn?: string | null | undefined;
  kind: ActionKind;
  planId: string;
};
export type AddPlanActionMutation$variables = {
  input: AddPlanActionInput;
};
export type AddPlanActionMutation$data = {
  readonly addPlanAction: {
    readonly action: {
      readonly " $fragmentSpreads": FragmentRefs<"AddPlanActionMutation_action">;
    };
  };
};
export type AddPlanActionMutation = {
  response: AddPlanActionMutation$data;
  variables: AddPlanActionMutation$variables;
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
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v5 = [
  {
    "alias": null,
    "args": null,
    "kind": "ScalarField",
    "name": "code",
    "storageKey": null
  },
  (v2/*:: as any*/)
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "AddPlanActionMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddPlanActionPayload",
        "kind": "LinkedField",
        "name": "addPlanAction",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "PlanAction",
            "kind": "LinkedField",
            "name": "action",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "AddPlanActionMutation_action"
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
    "name": "AddPlanActionMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "AddPlanActionPayload",
        "kind": "LinkedField",
        "name": "addPlanAction",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "PlanAction",
            "kind": "LinkedField",
            "name": "action",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "kind",
                "storageKey": null
              },
              (v3/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "dueOn",
                "storageKey": null
              },
              (v4/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "assignedAgency",
                "plural": false,
                "selections": (v5/*:: as any*/),
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "concreteType": "Consultation",
                "kind": "LinkedField",
                "name": "consultations",
                "plural": true,
                "selections": [
                  (v2/*:: as any*/),
                  (v3/*:: as any*/),
                  (v4/*:: as any*/),
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "Agency",
                    "kind": "LinkedField",
                    "name": "agency",
                    "plural": false,
                    "selections": (v5/*:: as any*/),
                    "storageKey": null
                  }
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
    "cacheID": "8510089f77ec226a58ef46fe3fa26a5c",
    "id": null,
    "metadata": {},
    "name": "AddPlanActionMutation",
    "operationKind": "mutation",
    "text": "mutation AddPlanActionMutation(\n  $input: AddPlanActionInput!\n) {\n  addPlanAction(input: $input) {\n    action {\n      ...AddPlanActionMutation_action\n      id\n    }\n  }\n}\n\nfragment AddPlanActionMutation_action on PlanAction {\n  id\n  kind\n  status\n  dueOn\n  version\n  assignedAgency {\n    code\n    id\n  }\n  consultations {\n    id\n    status\n    version\n    agency {\n      code\n      id\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "48912f7767b8c0635123dc455ecd49e4";

export default node;

/**
 * @generated SignedSource<<88238fa0e53115057037a285ef7b9e6f>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type Pathway = "BOTH" | "CHILD_IN_NEED" | "CHILD_PROTECTION" | "CRIMINAL_JUSTICE" | "EARLY_HELP" | "%future added value";
export type CreateJointPlanInput = {
  childId: string;
  pathway: Pathway;
  riskSummary?: string | null | undefined;
  title: string;
};
export type CreateJointPlanMutation$variables = {
  input: CreateJointPlanInput;
};
export type CreateJointPlanMutation$data = {
  readonly createJointPlan: {
    readonly jointPlan: {
      readonly " $fragmentSpreads": FragmentRefs<"CreateJointPlanMutation_plan">;
    };
  };
};
export type CreateJointPlanMutation = {
  response: CreateJointPlanMutation$data;
  variables: CreateJointPlanMutation$variables;
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
    "name": "CreateJointPlanMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "JointPlanPayload",
        "kind": "LinkedField",
        "name": "createJointPlan",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "JointPlan",
            "kind": "LinkedField",
            "name": "jointPlan",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "CreateJointPlanMutation_plan"
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
    "name": "CreateJointPlanMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "JointPlanPayload",
        "kind": "LinkedField",
        "name": "createJointPlan",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "JointPlan",
            "kind": "LinkedField",
            "name": "jointPlan",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "title",
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
                "name": "pathway",
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
    "cacheID": "34e1b56e2de50bf42597c51def8f5756",
    "id": null,
    "metadata": {},
    "name": "CreateJointPlanMutation",
    "operationKind": "mutation",
    "text": "mutation CreateJointPlanMutation(\n  $input: CreateJointPlanInput!\n) {\n  createJointPlan(input: $input) {\n    jointPlan {\n      ...CreateJointPlanMutation_plan\n      id\n    }\n  }\n}\n\nfragment CreateJointPlanMutation_plan on JointPlan {\n  id\n  title\n  status\n  pathway\n  version\n  leadAgency {\n    code\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "ccf302bcf7f3f03e2f5f559cb7180ca9";

export default node;

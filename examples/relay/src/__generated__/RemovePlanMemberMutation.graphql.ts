/**
 * @generated SignedSource<<2de0f16b8de3f21553a58bac09634ee3>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type RemovePlanMemberInput = {
  agencyId: string;
  expectedVersion: number;
  planId: string;
};
export type RemovePlanMemberMutation$variables = {
  input: RemovePlanMemberInput;
};
export type RemovePlanMemberMutation$data = {
  readonly removePlanMember: {
    readonly jointPlan: {
      readonly id: string;
      readonly members: ReadonlyArray<{
        readonly agency: {
          readonly code: string;
        };
      }>;
      readonly version: number;
    };
  };
};
export type RemovePlanMemberMutation = {
  response: RemovePlanMemberMutation$data;
  variables: RemovePlanMemberMutation$variables;
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
  "name": "version",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "RemovePlanMemberMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "JointPlanPayload",
        "kind": "LinkedField",
        "name": "removePlanMember",
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
              (v3/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "PlanMember",
                "kind": "LinkedField",
                "name": "members",
                "plural": true,
                "selections": [
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "Agency",
                    "kind": "LinkedField",
                    "name": "agency",
                    "plural": false,
                    "selections": [
                      (v4/*:: as any*/)
                    ],
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
    ],
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "RemovePlanMemberMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "JointPlanPayload",
        "kind": "LinkedField",
        "name": "removePlanMember",
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
              (v3/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "PlanMember",
                "kind": "LinkedField",
                "name": "members",
                "plural": true,
                "selections": [
                  {
                    "alias": null,
                    "args": null,
                    "concreteType": "Agency",
                    "kind": "LinkedField",
                    "name": "agency",
                    "plural": false,
                    "selections": [
                      (v4/*:: as any*/),
                      (v2/*:: as any*/)
                    ],
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
    "cacheID": "6bae05692b111c8983f2e2c6ab80363b",
    "id": null,
    "metadata": {},
    "name": "RemovePlanMemberMutation",
    "operationKind": "mutation",
    "text": "mutation RemovePlanMemberMutation(\n  $input: RemovePlanMemberInput!\n) {\n  removePlanMember(input: $input) {\n    jointPlan {\n      id\n      version\n      members {\n        agency {\n          code\n          id\n        }\n        id\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "6faf89cc0d4ca4571fe68ab16275a2f3";

export default node;

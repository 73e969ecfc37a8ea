/**
 * @generated SignedSource<<0781e7574463a95e819db9c77552a2fb>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type ChronologyKind = "ASSESSMENT_COMPLETED" | "ASSESSMENT_STARTED" | "CASE_CLOSED" | "CHARGE" | "DISCLOSURE" | "FIRST_COURT_HEARING" | "INITIAL_CP_CONFERENCE" | "NOTE" | "NO_FURTHER_ACTION" | "OUTCOME" | "OUT_OF_COURT_DISPOSAL" | "PLAN_REVIEW" | "POLICE_INTERVIEW" | "REFERRAL" | "REFERRAL_DECISION" | "SECTION_47_STARTED" | "STRATEGY_DISCUSSION" | "%future added value";
export type InvolvementRole = "LEAD" | "PARTNER" | "%future added value";
export type PlanStatus = "ACTIVE" | "CLOSED" | "DRAFT" | "%future added value";
export type TrafficLight = "AMBER" | "GREEN" | "RED" | "%future added value";
export type ChildRecordQuery$variables = {
  before?: string | null | undefined;
  id: string;
};
export type ChildRecordQuery$data = {
  readonly child: {
    readonly behaviours: {
      readonly nodes: ReadonlyArray<{
        readonly description: string | null | undefined;
        readonly id: string;
        readonly occurredOn: string;
        readonly restricted: boolean;
        readonly trafficLight: TrafficLight;
      }>;
      readonly totalCount: number;
    };
    readonly chronology: {
      readonly edges: ReadonlyArray<{
        readonly cursor: string;
        readonly node: {
          readonly id: string;
          readonly kind: ChronologyKind;
          readonly occurredAt: string;
          readonly restricted: boolean;
          readonly summary: string | null | undefined;
        };
      }>;
      readonly pageInfo: {
        readonly hasPreviousPage: boolean;
        readonly startCursor: string | null | undefined;
      };
      readonly totalCount: number;
    };
    readonly deadlines: ReadonlyArray<{
      readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_deadline">;
    }>;
    readonly involvements: ReadonlyArray<{
      readonly active: boolean;
      readonly agency: {
        readonly code: string;
        readonly name: string;
      };
      readonly id: string;
      readonly role: InvolvementRole;
      readonly version: number;
    }>;
    readonly jointPlans: {
      readonly nodes: ReadonlyArray<{
        readonly id: string;
        readonly status: PlanStatus;
        readonly title: string;
      }>;
    };
    readonly " $fragmentSpreads": FragmentRefs<"ChildRecordQuery_child">;
  };
};
export type ChildRecordQuery = {
  response: ChildRecordQuery$data;
  variables: ChildRecordQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "before"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "id"
},
v2 = [
  {
    "kind": "Variable",
    "name": "id",
    "variableName": "id"
  }
],
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "totalCount",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "restricted",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": [
    {
      "kind": "Literal",
      "name": "first",
      "value": 10
    }
  ],
  "concreteType": "BehaviourConnection",
  "kind": "LinkedField",
  "name": "behaviours",
  "plural": false,
  "selections": [
    (v3/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "concreteType": "Behaviour",
      "kind": "LinkedField",
      "name": "nodes",
      "plural": true,
      "selections": [
        (v4/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "occurredOn",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "trafficLight",
          "storageKey": null
        },
        (v5/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "description",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "storageKey": "behaviours(first:10)"
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "kind",
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": [
    {
      "kind": "Variable",
      "name": "before",
      "variableName": "before"
    },
    {
      "kind": "Literal",
      "name": "last",
      "value": 20
    }
  ],
  "concreteType": "ChronologyEntryConnection",
  "kind": "LinkedField",
  "name": "chronology",
  "plural": false,
  "selections": [
    (v3/*:: as any*/),
    {
      "alias": null,
      "args": null,
      "concreteType": "PageInfo",
      "kind": "LinkedField",
      "name": "pageInfo",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "hasPreviousPage",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "startCursor",
          "storageKey": null
        }
      ],
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "ChronologyEntryEdge",
      "kind": "LinkedField",
      "name": "edges",
      "plural": true,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "cursor",
          "storageKey": null
        },
        {
          "alias": null,
          "args": null,
          "concreteType": "ChronologyEntry",
          "kind": "LinkedField",
          "name": "node",
          "plural": false,
          "selections": [
            (v4/*:: as any*/),
            (v7/*:: as any*/),
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "occurredAt",
              "storageKey": null
            },
            (v5/*:: as any*/),
            {
              "alias": null,
              "args": null,
              "kind": "ScalarField",
              "name": "summary",
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
},
v9 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "status",
  "storageKey": null
},
v10 = {
  "alias": null,
  "args": [
    {
      "kind": "Literal",
      "name": "first",
      "value": 5
    }
  ],
  "concreteType": "JointPlanConnection",
  "kind": "LinkedField",
  "name": "jointPlans",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "concreteType": "JointPlan",
      "kind": "LinkedField",
      "name": "nodes",
      "plural": true,
      "selections": [
        (v4/*:: as any*/),
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "title",
          "storageKey": null
        },
        (v9/*:: as any*/)
      ],
      "storageKey": null
    }
  ],
  "storageKey": "jointPlans(first:5)"
},
v11 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "role",
  "storageKey": null
},
v12 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "active",
  "storageKey": null
},
v13 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "version",
  "storageKey": null
},
v14 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "code",
  "storageKey": null
},
v15 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v16 = [
  (v14/*:: as any*/),
  (v15/*:: as any*/),
  (v4/*:: as any*/)
];
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "ChildRecordQuery",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Child",
        "kind": "LinkedField",
        "name": "child",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "ChildRecordQuery_child"
          },
          (v6/*:: as any*/),
          (v8/*:: as any*/),
          (v10/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvements",
            "plural": true,
            "selections": [
              (v4/*:: as any*/),
              (v11/*:: as any*/),
              (v12/*:: as any*/),
              (v13/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": [
                  (v14/*:: as any*/),
                  (v15/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Deadline",
            "kind": "LinkedField",
            "name": "deadlines",
            "plural": true,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "ChildRecordQuery_deadline"
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
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "ChildRecordQuery",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "Child",
        "kind": "LinkedField",
        "name": "child",
        "plural": false,
        "selections": [
          (v4/*:: as any*/),
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
          (v9/*:: as any*/),
          (v13/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Agency",
            "kind": "LinkedField",
            "name": "leadAgency",
            "plural": false,
            "selections": (v16/*:: as any*/),
            "storageKey": null
          },
          (v6/*:: as any*/),
          (v8/*:: as any*/),
          (v10/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "Involvement",
            "kind": "LinkedField",
            "name": "involvements",
            "plural": true,
            "selections": [
              (v4/*:: as any*/),
              (v11/*:: as any*/),
              (v12/*:: as any*/),
              (v13/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": (v16/*:: as any*/),
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Deadline",
            "kind": "LinkedField",
            "name": "deadlines",
            "plural": true,
            "selections": [
              (v4/*:: as any*/),
              (v7/*:: as any*/),
              (v9/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "startedAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "dueAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "dueOn",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "metAt",
                "storageKey": null
              },
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "lateReason",
                "storageKey": null
              },
              (v13/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "responsibleAgency",
                "plural": false,
                "selections": [
                  (v14/*:: as any*/),
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
    ]
  },
  "params": {
    "cacheID": "487a0c55f8add95532c2f108f8ac6917",
    "id": null,
    "metadata": {},
    "name": "ChildRecordQuery",
    "operationKind": "query",
    "text": "query ChildRecordQuery(\n  $id: ID!\n  $before: String\n) {\n  child(id: $id) {\n    ...ChildRecordQuery_child\n    behaviours(first: 10) {\n      totalCount\n      nodes {\n        id\n        occurredOn\n        trafficLight\n        restricted\n        description\n      }\n    }\n    chronology(last: 20, before: $before) {\n      totalCount\n      pageInfo {\n        hasPreviousPage\n        startCursor\n      }\n      edges {\n        cursor\n        node {\n          id\n          kind\n          occurredAt\n          restricted\n          summary\n        }\n      }\n    }\n    jointPlans(first: 5) {\n      nodes {\n        id\n        title\n        status\n      }\n    }\n    involvements {\n      id\n      role\n      active\n      version\n      agency {\n        code\n        name\n        id\n      }\n    }\n    deadlines {\n      ...ChildRecordQuery_deadline\n      id\n    }\n    id\n  }\n}\n\nfragment ChildRecordQuery_child on Child {\n  id\n  givenName\n  familyName\n  dateOfBirth\n  gender\n  status\n  version\n  leadAgency {\n    code\n    name\n    id\n  }\n}\n\nfragment ChildRecordQuery_deadline on Deadline {\n  id\n  kind\n  status\n  startedAt\n  dueAt\n  dueOn\n  metAt\n  lateReason\n  version\n  responsibleAgency {\n    code\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "e691b644ea4a52ee6ded455c13982240";

export default node;

/**
 * @generated SignedSource<<b1976fd34efdd945cba731137f3466ee>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type CaseTeamEventsSubscription$variables = {
  after?: string | null | undefined;
};
export type CaseTeamEventsSubscription$data = {
  readonly caseTeamEvents: {
    readonly " $fragmentSpreads": FragmentRefs<"CaseTeamEventsSubscription_event">;
  };
};
export type CaseTeamEventsSubscription = {
  response: CaseTeamEventsSubscription$data;
  variables: CaseTeamEventsSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "after"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "after",
    "variableName": "after"
  }
],
v2 = [
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
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "CaseTeamEventsSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "PlanEvent",
        "kind": "LinkedField",
        "name": "caseTeamEvents",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "CaseTeamEventsSubscription_event"
          }
        ],
        "storageKey": null
      }
    ],
    "type": "Subscription",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "CaseTeamEventsSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "PlanEvent",
        "kind": "LinkedField",
        "name": "caseTeamEvents",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "seq",
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
            "name": "occurredAt",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "summary",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "planId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "childId",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "PlanAction",
            "kind": "LinkedField",
            "name": "action",
            "plural": false,
            "selections": (v2/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "Consultation",
            "kind": "LinkedField",
            "name": "consultation",
            "plural": false,
            "selections": (v2/*:: as any*/),
            "storageKey": null
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "ae3a6e310d21933158e142ae3adf15d2",
    "id": null,
    "metadata": {},
    "name": "CaseTeamEventsSubscription",
    "operationKind": "subscription",
    "text": "subscription CaseTeamEventsSubscription(\n  $after: String\n) {\n  caseTeamEvents(after: $after) {\n    ...CaseTeamEventsSubscription_event\n  }\n}\n\nfragment CaseTeamEventsSubscription_event on PlanEvent {\n  seq\n  kind\n  occurredAt\n  summary\n  planId\n  childId\n  action {\n    id\n    status\n  }\n  consultation {\n    id\n    status\n  }\n}\n"
  }
};
})();

(node as any).hash = "3e14ad776317a51ee3bc0fe0d68c1723";

export default node;

/**
 * @generated SignedSource<<5ecd16ce7abf627992280a0fe8a28a73>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type PlanEventsSubscription$variables = {
  after?: string | null | undefined;
  planId: string;
};
export type PlanEventsSubscription$data = {
  readonly planEvents: {
    readonly " $fragmentSpreads": FragmentRefs<"PlanEventsSubscription_event">;
  };
};
export type PlanEventsSubscription = {
  response: PlanEventsSubscription$data;
  variables: PlanEventsSubscription$variables;
};

const node: ConcreteRequest = (function(){
var v0 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "after"
},
v1 = {
  "defaultValue": null,
  "kind": "LocalArgument",
  "name": "planId"
},
v2 = [
  {
    "kind": "Variable",
    "name": "after",
    "variableName": "after"
  },
  {
    "kind": "Variable",
    "name": "planId",
    "variableName": "planId"
  }
];
return {
  "fragment": {
    "argumentDefinitions": [
      (v0/*:: as any*/),
      (v1/*:: as any*/)
    ],
    "kind": "Fragment",
    "metadata": null,
    "name": "PlanEventsSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "PlanEvent",
        "kind": "LinkedField",
        "name": "planEvents",
        "plural": false,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "PlanEventsSubscription_event"
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
    "argumentDefinitions": [
      (v1/*:: as any*/),
      (v0/*:: as any*/)
    ],
    "kind": "Operation",
    "name": "PlanEventsSubscription",
    "selections": [
      {
        "alias": null,
        "args": (v2/*:: as any*/),
        "concreteType": "PlanEvent",
        "kind": "LinkedField",
        "name": "planEvents",
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
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "722373f14f8f7b0bfeff99da939e9327",
    "id": null,
    "metadata": {},
    "name": "PlanEventsSubscription",
    "operationKind": "subscription",
    "text": "subscription PlanEventsSubscription(\n  $planId: ID!\n  $after: String\n) {\n  planEvents(planId: $planId, after: $after) {\n    ...PlanEventsSubscription_event\n  }\n}\n\nfragment PlanEventsSubscription_event on PlanEvent {\n  seq\n  kind\n  occurredAt\n  summary\n}\n"
  }
};
})();

(node as any).hash = "5d9b0acc149a5d759a9d631d065c73f2";

export default node;

/**
 * @generated SignedSource<<6c27f2c69d7cbf945498553e236c01d0>>
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
          }
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "4f57b2ddc31ab412a7fc3454143b94fe",
    "id": null,
    "metadata": {},
    "name": "CaseTeamEventsSubscription",
    "operationKind": "subscription",
    "text": "subscription CaseTeamEventsSubscription(\n  $after: String\n) {\n  caseTeamEvents(after: $after) {\n    ...CaseTeamEventsSubscription_event\n  }\n}\n\nfragment CaseTeamEventsSubscription_event on PlanEvent {\n  seq\n  kind\n  occurredAt\n  summary\n}\n"
  }
};
})();

(node as any).hash = "3e14ad776317a51ee3bc0fe0d68c1723";

export default node;

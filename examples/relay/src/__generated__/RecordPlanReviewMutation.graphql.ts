/**
 * @generated SignedSource<<1ba9e5e9c4ff961431a5e84b5edd63e3>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type RecordPlanReviewInput = {
  attendingAgencyIds?: ReadonlyArray<string>;
  expectedVersion: number;
  heldOn: string;
  nextReviewDue?: string | null | undefined;
  planId: string;
  summary: string;
};
export type RecordPlanReviewMutation$variables = {
  input: RecordPlanReviewInput;
};
export type RecordPlanReviewMutation$data = {
  readonly recordPlanReview: {
    readonly jointPlan: {
      readonly id: string;
      readonly nextReviewDue: string | null | undefined;
      readonly version: number;
    };
    readonly review: {
      readonly heldOn: string;
      readonly id: string;
      readonly nextReviewDue: string | null | undefined;
      readonly summary: string;
    };
  };
};
export type RecordPlanReviewMutation = {
  response: RecordPlanReviewMutation$data;
  variables: RecordPlanReviewMutation$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "input"
  }
],
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "id",
  "storageKey": null
},
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "nextReviewDue",
  "storageKey": null
},
v3 = [
  {
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "RecordPlanReviewPayload",
    "kind": "LinkedField",
    "name": "recordPlanReview",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "PlanReview",
        "kind": "LinkedField",
        "name": "review",
        "plural": false,
        "selections": [
          (v1/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "heldOn",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "summary",
            "storageKey": null
          },
          (v2/*:: as any*/)
        ],
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "concreteType": "JointPlan",
        "kind": "LinkedField",
        "name": "jointPlan",
        "plural": false,
        "selections": [
          (v1/*:: as any*/),
          (v2/*:: as any*/),
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
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "RecordPlanReviewMutation",
    "selections": (v3/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "RecordPlanReviewMutation",
    "selections": (v3/*:: as any*/)
  },
  "params": {
    "cacheID": "6f028ee2fe6b8642a305518ae0fa41ec",
    "id": null,
    "metadata": {},
    "name": "RecordPlanReviewMutation",
    "operationKind": "mutation",
    "text": "mutation RecordPlanReviewMutation(\n  $input: RecordPlanReviewInput!\n) {\n  recordPlanReview(input: $input) {\n    review {\n      id\n      heldOn\n      summary\n      nextReviewDue\n    }\n    jointPlan {\n      id\n      nextReviewDue\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "350b024fa8dfe81c4d4c1b6ced58e2ce";

export default node;

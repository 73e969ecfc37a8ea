/**
 * @generated SignedSource<<569801152b4414cadfd69cd8d926fe08>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
export type TrafficLight = "AMBER" | "GREEN" | "RED" | "%future added value";
import { FragmentRefs } from "relay-runtime";
export type RecordBehaviourMutation_behaviour$data = {
  readonly escalated: boolean;
  readonly id: string;
  readonly recordingAgency: {
    readonly code: string;
  };
  readonly restricted: boolean;
  readonly suggestedTrafficLight: TrafficLight;
  readonly trafficLight: TrafficLight;
  readonly " $fragmentType": "RecordBehaviourMutation_behaviour";
};
export type RecordBehaviourMutation_behaviour$key = {
  readonly " $data"?: RecordBehaviourMutation_behaviour$data;
  readonly " $fragmentSpreads": FragmentRefs<"RecordBehaviourMutation_behaviour">;
};

const node: ReaderFragment = {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "RecordBehaviourMutation_behaviour",
  "selections": [
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
      "name": "trafficLight",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "suggestedTrafficLight",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "escalated",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "restricted",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "Agency",
      "kind": "LinkedField",
      "name": "recordingAgency",
      "plural": false,
      "selections": [
        {
          "alias": null,
          "args": null,
          "kind": "ScalarField",
          "name": "code",
          "storageKey": null
        }
      ],
      "storageKey": null
    }
  ],
  "type": "Behaviour",
  "abstractKey": null
};

(node as any).hash = "25307415953eafad507c51f4ed0cdcac";

export default node;

/**
 * @generated SignedSource<<a4b12379463eb424c4af384617512055>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type ContactType = "CONTACT" | "NON_CONTACT" | "ONLINE" | "%future added value";
export type Continuum = "ABUSIVE" | "INAPPROPRIATE" | "NORMAL" | "PROBLEMATIC" | "VIOLENT" | "%future added value";
export type Indicator = "AGE_OR_POWER_GAP" | "COERCION" | "COMPULSIVE" | "DISTRESS" | "FORCE" | "IMAGES_OR_ONLINE" | "NO_INFORMED_CONSENT" | "PERSISTS_AFTER_INTERVENTION" | "PLANNING" | "SECRECY" | "UNDER_13_INVOLVED" | "%future added value";
export type Sensitivity = "RESTRICTED" | "STANDARD" | "%future added value";
export type Setting = "CARE_PLACEMENT" | "COMMUNITY" | "CUSTODY" | "HOME" | "ONLINE" | "OTHER" | "SCHOOL" | "%future added value";
export type TrafficLight = "AMBER" | "GREEN" | "RED" | "%future added value";
export type RecordBehaviourInput = {
  affectedChildren?: ReadonlyArray<AffectedChildInput>;
  childId: string;
  classificationRationale?: string | null | undefined;
  contactType: ContactType;
  continuum: Continuum;
  description: string;
  disclosedAt: string;
  indicators?: ReadonlyArray<Indicator>;
  occurredOn: string;
  sensitivity?: Sensitivity;
  setting: Setting;
  sharedWith?: ReadonlyArray<string>;
  trafficLight: TrafficLight;
};
export type AffectedChildInput = {
  ageAtTime?: number | null | undefined;
  childId?: string | null | undefined;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  relationship: string;
};
export type RecordBehaviourMutation$variables = {
  input: RecordBehaviourInput;
};
export type RecordBehaviourMutation$data = {
  readonly recordBehaviour: {
    readonly behaviour: {
      readonly " $fragmentSpreads": FragmentRefs<"RecordBehaviourMutation_behaviour">;
    };
    readonly escalated: boolean;
    readonly history: {
      readonly agencies: ReadonlyArray<{
        readonly name: string;
      }>;
      readonly firstRecordedOn: string | null | undefined;
      readonly priorBehaviours: number;
      readonly worstTrafficLight: TrafficLight | null | undefined;
    };
    readonly suggestedTrafficLight: TrafficLight;
  };
};
export type RecordBehaviourMutation = {
  response: RecordBehaviourMutation$data;
  variables: RecordBehaviourMutation$variables;
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
  "name": "suggestedTrafficLight",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "escalated",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "priorBehaviours",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "worstTrafficLight",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "firstRecordedOn",
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "name",
  "storageKey": null
},
v8 = {
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
    "name": "RecordBehaviourMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RecordBehaviourPayload",
        "kind": "LinkedField",
        "name": "recordBehaviour",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Behaviour",
            "kind": "LinkedField",
            "name": "behaviour",
            "plural": false,
            "selections": [
              {
                "args": null,
                "kind": "FragmentSpread",
                "name": "RecordBehaviourMutation_behaviour"
              }
            ],
            "storageKey": null
          },
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "BehaviourHistory",
            "kind": "LinkedField",
            "name": "history",
            "plural": false,
            "selections": [
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              (v6/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agencies",
                "plural": true,
                "selections": [
                  (v7/*:: as any*/)
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
    "name": "RecordBehaviourMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RecordBehaviourPayload",
        "kind": "LinkedField",
        "name": "recordBehaviour",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "Behaviour",
            "kind": "LinkedField",
            "name": "behaviour",
            "plural": false,
            "selections": [
              (v8/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "trafficLight",
                "storageKey": null
              },
              (v2/*:: as any*/),
              (v3/*:: as any*/),
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
                  },
                  (v8/*:: as any*/)
                ],
                "storageKey": null
              }
            ],
            "storageKey": null
          },
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "BehaviourHistory",
            "kind": "LinkedField",
            "name": "history",
            "plural": false,
            "selections": [
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              (v6/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agencies",
                "plural": true,
                "selections": [
                  (v7/*:: as any*/),
                  (v8/*:: as any*/)
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
    "cacheID": "67d27bab5563f0ad21ae7a1e053c96bd",
    "id": null,
    "metadata": {},
    "name": "RecordBehaviourMutation",
    "operationKind": "mutation",
    "text": "mutation RecordBehaviourMutation(\n  $input: RecordBehaviourInput!\n) {\n  recordBehaviour(input: $input) {\n    behaviour {\n      ...RecordBehaviourMutation_behaviour\n      id\n    }\n    suggestedTrafficLight\n    escalated\n    history {\n      priorBehaviours\n      worstTrafficLight\n      firstRecordedOn\n      agencies {\n        name\n        id\n      }\n    }\n  }\n}\n\nfragment RecordBehaviourMutation_behaviour on Behaviour {\n  id\n  trafficLight\n  suggestedTrafficLight\n  escalated\n  restricted\n  recordingAgency {\n    code\n    id\n  }\n}\n"
  }
};
})();

(node as any).hash = "c3f46cfa6dad43e28dfb994c6655f487";

export default node;

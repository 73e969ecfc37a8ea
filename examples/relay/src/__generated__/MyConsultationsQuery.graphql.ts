/**
 * @generated SignedSource<<88858ca151b725dab6dd5c14c97a260d>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type ConsultationStatus = "AGREED" | "OBJECTED" | "OVERRIDDEN" | "REQUESTED" | "%future added value";
export type MyConsultationsQuery$variables = {
  status?: ConsultationStatus | null | undefined;
};
export type MyConsultationsQuery$data = {
  readonly myConsultations: ReadonlyArray<{
    readonly " $fragmentSpreads": FragmentRefs<"MyConsultationsQuery_consultation">;
  }>;
};
export type MyConsultationsQuery = {
  response: MyConsultationsQuery$data;
  variables: MyConsultationsQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "status"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "status",
    "variableName": "status"
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
};
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "MyConsultationsQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Consultation",
        "kind": "LinkedField",
        "name": "myConsultations",
        "plural": true,
        "selections": [
          {
            "args": null,
            "kind": "FragmentSpread",
            "name": "MyConsultationsQuery_consultation"
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
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "MyConsultationsQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "Consultation",
        "kind": "LinkedField",
        "name": "myConsultations",
        "plural": true,
        "selections": [
          (v2/*:: as any*/),
          (v3/*:: as any*/),
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
              {
                "alias": null,
                "args": null,
                "kind": "ScalarField",
                "name": "description",
                "storageKey": null
              },
              (v3/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "JointPlan",
                "kind": "LinkedField",
                "name": "plan",
                "plural": false,
                "selections": [
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
                    "concreteType": "Agency",
                    "kind": "LinkedField",
                    "name": "leadAgency",
                    "plural": false,
                    "selections": [
                      {
                        "alias": null,
                        "args": null,
                        "kind": "ScalarField",
                        "name": "name",
                        "storageKey": null
                      },
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
    "cacheID": "cfc937ca1133fd323c4a555589208135",
    "id": null,
    "metadata": {},
    "name": "MyConsultationsQuery",
    "operationKind": "query",
    "text": "query MyConsultationsQuery(\n  $status: ConsultationStatus\n) {\n  myConsultations(status: $status) {\n    ...MyConsultationsQuery_consultation\n    id\n  }\n}\n\nfragment MyConsultationsQuery_consultation on Consultation {\n  id\n  status\n  version\n  action {\n    id\n    kind\n    description\n    status\n    plan {\n      title\n      leadAgency {\n        name\n        id\n      }\n      id\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "4a4ff0231ee7cdd844d1eaf508075be7";

export default node;

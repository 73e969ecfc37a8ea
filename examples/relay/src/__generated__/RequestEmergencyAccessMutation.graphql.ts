/**
 * @generated SignedSource<<85bb48b8366c0a35745f67e7f411f88b>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type RequestEmergencyAccessInput = {
  childId: string;
  reason: string;
};
export type RequestEmergencyAccessMutation$variables = {
  input: RequestEmergencyAccessInput;
};
export type RequestEmergencyAccessMutation$data = {
  readonly requestEmergencyAccess: {
    readonly grant: {
      readonly agency: {
        readonly code: string;
      };
      readonly expiresAt: string;
      readonly grantedAt: string;
      readonly id: string;
      readonly reason: string;
    };
  };
};
export type RequestEmergencyAccessMutation = {
  response: RequestEmergencyAccessMutation$data;
  variables: RequestEmergencyAccessMutation$variables;
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
  "name": "reason",
  "storageKey": null
},
v4 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "grantedAt",
  "storageKey": null
},
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "expiresAt",
  "storageKey": null
},
v6 = {
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
    "name": "RequestEmergencyAccessMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RequestEmergencyAccessPayload",
        "kind": "LinkedField",
        "name": "requestEmergencyAccess",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "AccessGrant",
            "kind": "LinkedField",
            "name": "grant",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": [
                  (v6/*:: as any*/)
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
    "name": "RequestEmergencyAccessMutation",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "RequestEmergencyAccessPayload",
        "kind": "LinkedField",
        "name": "requestEmergencyAccess",
        "plural": false,
        "selections": [
          {
            "alias": null,
            "args": null,
            "concreteType": "AccessGrant",
            "kind": "LinkedField",
            "name": "grant",
            "plural": false,
            "selections": [
              (v2/*:: as any*/),
              (v3/*:: as any*/),
              (v4/*:: as any*/),
              (v5/*:: as any*/),
              {
                "alias": null,
                "args": null,
                "concreteType": "Agency",
                "kind": "LinkedField",
                "name": "agency",
                "plural": false,
                "selections": [
                  (v6/*:: as any*/),
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
    "cacheID": "ab744bddc3d65f95a57e7c1455625761",
    "id": null,
    "metadata": {},
    "name": "RequestEmergencyAccessMutation",
    "operationKind": "mutation",
    "text": "mutation RequestEmergencyAccessMutation(\n  $input: RequestEmergencyAccessInput!\n) {\n  requestEmergencyAccess(input: $input) {\n    grant {\n      id\n      reason\n      grantedAt\n      expiresAt\n      agency {\n        code\n        id\n      }\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "1a1b2731e4409307f760d6132e2fdd08";

export default node;

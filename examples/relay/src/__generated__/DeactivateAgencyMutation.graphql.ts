/**
 * @generated SignedSource<<26b3331488c1d1a760348fb7c5f725da>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type DeactivateAgencyInput = {
  agencyId: string;
  expectedVersion: number;
  reason: string;
};
export type DeactivateAgencyMutation$variables = {
  input: DeactivateAgencyInput;
};
export type DeactivateAgencyMutation$data = {
  readonly deactivateAgency: {
    readonly agency: {
      readonly active: boolean;
      readonly code: string;
      readonly id: string;
      readonly version: number;
    };
  };
};
export type DeactivateAgencyMutation = {
  response: DeactivateAgencyMutation$data;
  variables: DeactivateAgencyMutation$variables;
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
    "alias": null,
    "args": [
      {
        "kind": "Variable",
        "name": "input",
        "variableName": "input"
      }
    ],
    "concreteType": "AgencyPayload",
    "kind": "LinkedField",
    "name": "deactivateAgency",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "concreteType": "Agency",
        "kind": "LinkedField",
        "name": "agency",
        "plural": false,
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
            "name": "code",
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "kind": "ScalarField",
            "name": "active",
            "storageKey": null
          },
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
    "name": "DeactivateAgencyMutation",
    "selections": (v1/*:: as any*/),
    "type": "Mutation",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "DeactivateAgencyMutation",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "a095bfd2d396c03fb3d58007b9a950fd",
    "id": null,
    "metadata": {},
    "name": "DeactivateAgencyMutation",
    "operationKind": "mutation",
    "text": "mutation DeactivateAgencyMutation(\n  $input: DeactivateAgencyInput!\n) {\n  deactivateAgency(input: $input) {\n    agency {\n      id\n      code\n      active\n      version\n    }\n  }\n}\n"
  }
};
})();

(node as any).hash = "24832ec870a74cd0976ec2c18a800a30";

export default node;

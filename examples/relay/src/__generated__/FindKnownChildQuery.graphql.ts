/**
 * @generated SignedSource<<3a6298fdd642a8769d27bc86457e93ae>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type FindKnownChildInput = {
  dateOfBirth?: string | null | undefined;
  familyName?: string | null | undefined;
  givenName?: string | null | undefined;
  nhsNumber?: string | null | undefined;
  uniquePupilNumber?: string | null | undefined;
};
export type FindKnownChildQuery$variables = {
  input: FindKnownChildInput;
};
export type FindKnownChildQuery$data = {
  readonly findKnownChild: {
    readonly agencyKinds: ReadonlyArray<AgencyKind>;
    readonly known: boolean;
    readonly leadAgencyName: string | null | undefined;
  };
};
export type FindKnownChildQuery = {
  response: FindKnownChildQuery$data;
  variables: FindKnownChildQuery$variables;
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
    "concreteType": "KnownChild",
    "kind": "LinkedField",
    "name": "findKnownChild",
    "plural": false,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "known",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "agencyKinds",
        "storageKey": null
      },
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "leadAgencyName",
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
    "name": "FindKnownChildQuery",
    "selections": (v1/*:: as any*/),
    "type": "Query",
    "abstractKey": null
  },
  "kind": "Request",
  "operation": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Operation",
    "name": "FindKnownChildQuery",
    "selections": (v1/*:: as any*/)
  },
  "params": {
    "cacheID": "c325b1223925a71cd000399746168a7a",
    "id": null,
    "metadata": {},
    "name": "FindKnownChildQuery",
    "operationKind": "query",
    "text": "query FindKnownChildQuery(\n  $input: FindKnownChildInput!\n) {\n  findKnownChild(input: $input) {\n    known\n    agencyKinds\n    leadAgencyName\n  }\n}\n"
  }
};
})();

(node as any).hash = "c120d5607f4cc380f05c7903f3d58cb9";

export default node;

/**
 * @generated SignedSource<<40123171267742029bbc1c10da130793>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ConcreteRequest } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type AgencyKind = "CAMHS" | "CHILDRENS_SOCIAL_CARE" | "EARLY_HELP" | "EDUCATION" | "EDUCATIONAL_PSYCHOLOGY" | "HEALTH" | "OTHER" | "POLICE" | "SECURE_ESTATE" | "SPECIALIST_HSB_SERVICE" | "YOUTH_JUSTICE" | "%future added value";
export type StrategicReportQuery$variables = {
  from: string;
  to: string;
};
export type StrategicReportQuery$data = {
  readonly strategicReport: {
    readonly behavioursByTrafficLight: {
      readonly " $fragmentSpreads": FragmentRefs<"StrategicReportQuery_breakdown">;
    };
    readonly deadlinesMet: ReadonlyArray<{
      readonly agencyKind: AgencyKind;
      readonly metPercent: number | null | undefined;
      readonly suppressed: boolean;
    }>;
    readonly disclosureToOutcome: {
      readonly medianDays: number | null | undefined;
      readonly suppressed: boolean;
    };
    readonly escalations: {
      readonly " $fragmentSpreads": FragmentRefs<"StrategicReportQuery_breakdown">;
    };
    readonly from: string;
    readonly recurrence: {
      readonly followedByNewBehaviour: {
        readonly suppressed: boolean;
        readonly value: number | null | undefined;
      };
      readonly plansClosed: {
        readonly suppressed: boolean;
        readonly value: number | null | undefined;
      };
    };
    readonly referrals: {
      readonly " $fragmentSpreads": FragmentRefs<"StrategicReportQuery_breakdown">;
    };
    readonly to: string;
  };
};
export type StrategicReportQuery = {
  response: StrategicReportQuery$data;
  variables: StrategicReportQuery$variables;
};

const node: ConcreteRequest = (function(){
var v0 = [
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "from"
  },
  {
    "defaultValue": null,
    "kind": "LocalArgument",
    "name": "to"
  }
],
v1 = [
  {
    "kind": "Variable",
    "name": "from",
    "variableName": "from"
  },
  {
    "kind": "Variable",
    "name": "to",
    "variableName": "to"
  }
],
v2 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "from",
  "storageKey": null
},
v3 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "to",
  "storageKey": null
},
v4 = [
  {
    "args": null,
    "kind": "FragmentSpread",
    "name": "StrategicReportQuery_breakdown"
  }
],
v5 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "suppressed",
  "storageKey": null
},
v6 = {
  "alias": null,
  "args": null,
  "concreteType": "MilestoneDurations",
  "kind": "LinkedField",
  "name": "disclosureToOutcome",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "medianDays",
      "storageKey": null
    },
    (v5/*:: as any*/)
  ],
  "storageKey": null
},
v7 = {
  "alias": null,
  "args": null,
  "concreteType": "DeadlinePerformance",
  "kind": "LinkedField",
  "name": "deadlinesMet",
  "plural": true,
  "selections": [
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "agencyKind",
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "kind": "ScalarField",
      "name": "metPercent",
      "storageKey": null
    },
    (v5/*:: as any*/)
  ],
  "storageKey": null
},
v8 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "value",
  "storageKey": null
},
v9 = [
  (v8/*:: as any*/),
  (v5/*:: as any*/)
],
v10 = {
  "alias": null,
  "args": null,
  "concreteType": "Recurrence",
  "kind": "LinkedField",
  "name": "recurrence",
  "plural": false,
  "selections": [
    {
      "alias": null,
      "args": null,
      "concreteType": "ReportCount",
      "kind": "LinkedField",
      "name": "plansClosed",
      "plural": false,
      "selections": (v9/*:: as any*/),
      "storageKey": null
    },
    {
      "alias": null,
      "args": null,
      "concreteType": "ReportCount",
      "kind": "LinkedField",
      "name": "followedByNewBehaviour",
      "plural": false,
      "selections": (v9/*:: as any*/),
      "storageKey": null
    }
  ],
  "storageKey": null
},
v11 = [
  {
    "alias": null,
    "args": null,
    "concreteType": "ReportCount",
    "kind": "LinkedField",
    "name": "total",
    "plural": false,
    "selections": (v9/*:: as any*/),
    "storageKey": null
  },
  {
    "alias": null,
    "args": null,
    "concreteType": "ReportCell",
    "kind": "LinkedField",
    "name": "cells",
    "plural": true,
    "selections": [
      {
        "alias": null,
        "args": null,
        "kind": "ScalarField",
        "name": "key",
        "storageKey": null
      },
      (v8/*:: as any*/),
      (v5/*:: as any*/)
    ],
    "storageKey": null
  }
];
return {
  "fragment": {
    "argumentDefinitions": (v0/*:: as any*/),
    "kind": "Fragment",
    "metadata": null,
    "name": "StrategicReportQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "StrategicReport",
        "kind": "LinkedField",
        "name": "strategicReport",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "referrals",
            "plural": false,
            "selections": (v4/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "behavioursByTrafficLight",
            "plural": false,
            "selections": (v4/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "escalations",
            "plural": false,
            "selections": (v4/*:: as any*/),
            "storageKey": null
          },
          (v6/*:: as any*/),
          (v7/*:: as any*/),
          (v10/*:: as any*/)
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
    "name": "StrategicReportQuery",
    "selections": [
      {
        "alias": null,
        "args": (v1/*:: as any*/),
        "concreteType": "StrategicReport",
        "kind": "LinkedField",
        "name": "strategicReport",
        "plural": false,
        "selections": [
          (v2/*:: as any*/),
          (v3/*:: as any*/),
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "referrals",
            "plural": false,
            "selections": (v11/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "behavioursByTrafficLight",
            "plural": false,
            "selections": (v11/*:: as any*/),
            "storageKey": null
          },
          {
            "alias": null,
            "args": null,
            "concreteType": "ReportBreakdown",
            "kind": "LinkedField",
            "name": "escalations",
            "plural": false,
            "selections": (v11/*:: as any*/),
            "storageKey": null
          },
          (v6/*:: as any*/),
          (v7/*:: as any*/),
          (v10/*:: as any*/)
        ],
        "storageKey": null
      }
    ]
  },
  "params": {
    "cacheID": "c44264227677439fb5e23ca356d22350",
    "id": null,
    "metadata": {},
    "name": "StrategicReportQuery",
    "operationKind": "query",
    "text": "query StrategicReportQuery(\n  $from: DateTime!\n  $to: DateTime!\n) {\n  strategicReport(from: $from, to: $to) {\n    from\n    to\n    referrals {\n      ...StrategicReportQuery_breakdown\n    }\n    behavioursByTrafficLight {\n      ...StrategicReportQuery_breakdown\n    }\n    escalations {\n      ...StrategicReportQuery_breakdown\n    }\n    disclosureToOutcome {\n      medianDays\n      suppressed\n    }\n    deadlinesMet {\n      agencyKind\n      metPercent\n      suppressed\n    }\n    recurrence {\n      plansClosed {\n        value\n        suppressed\n      }\n      followedByNewBehaviour {\n        value\n        suppressed\n      }\n    }\n  }\n}\n\nfragment StrategicReportQuery_breakdown on ReportBreakdown {\n  total {\n    value\n    suppressed\n  }\n  cells {\n    key\n    value\n    suppressed\n  }\n}\n"
  }
};
})();

(node as any).hash = "a9695cdbe8ce94d460a5cea49f199fdb";

export default node;

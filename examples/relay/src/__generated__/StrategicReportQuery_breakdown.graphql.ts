/**
 * @generated SignedSource<<7d74034025002fc49f4dc6945306d3cd>>
 * @lightSyntaxTransform
 */

/* tslint:disable */
/* eslint-disable */
// @ts-nocheck

import { ReaderFragment } from 'relay-runtime';
import { FragmentRefs } from "relay-runtime";
export type StrategicReportQuery_breakdown$data = {
  readonly cells: ReadonlyArray<{
    readonly key: string;
    readonly suppressed: boolean;
    readonly value: number | null | undefined;
  }>;
  readonly total: {
    readonly suppressed: boolean;
    readonly value: number | null | undefined;
  };
  readonly " $fragmentType": "StrategicReportQuery_breakdown";
};
export type StrategicReportQuery_breakdown$key = {
  readonly " $data"?: StrategicReportQuery_breakdown$data;
  readonly " $fragmentSpreads": FragmentRefs<"StrategicReportQuery_breakdown">;
};

const node: ReaderFragment = (function(){
var v0 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "value",
  "storageKey": null
},
v1 = {
  "alias": null,
  "args": null,
  "kind": "ScalarField",
  "name": "suppressed",
  "storageKey": null
};
return {
  "argumentDefinitions": [],
  "kind": "Fragment",
  "metadata": null,
  "name": "StrategicReportQuery_breakdown",
  "selections": [
    {
      "alias": null,
      "args": null,
      "concreteType": "ReportCount",
      "kind": "LinkedField",
      "name": "total",
      "plural": false,
      "selections": [
        (v0/*:: as any*/),
        (v1/*:: as any*/)
      ],
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
        (v0/*:: as any*/),
        (v1/*:: as any*/)
      ],
      "storageKey": null
    }
  ],
  "type": "ReportBreakdown",
  "abstractKey": null
};
})();

(node as any).hash = "2756fa9b07e2b9d2923e39a5a349b301";

export default node;

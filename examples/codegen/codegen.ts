// GraphQL Code Generator over Concord's schema and the example operations in
// ../operations. `npm ci && npm run codegen` writes:
//   src/generated/schema.ts      every schema type (the `typescript` plugin)
//   src/generated/operations.ts  result and variables types of every operation and
//                                fragment, with the enums and inputs they use
//                                (the `typescript-operations` plugin)
import type { CodegenConfig } from "@graphql-codegen/cli";

// Concord's scalars travel as strings: Date is YYYY-MM-DD, DateTime RFC 3339 in UTC.
const scalars = {
  Date: "string",
  DateTime: "string",
};

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: "../operations/*.graphql",
  generates: {
    "src/generated/schema.ts": {
      plugins: ["typescript"],
      config: { scalars, strictScalars: true, enumsAsTypes: true },
    },
    "src/generated/operations.ts": {
      plugins: ["typescript-operations"],
      config: {
        scalars,
        strictScalars: true,
        // The operations are already named CaseloadQuery, RecordBehaviourMutation, …
        omitOperationSuffix: true,
      },
    },
  },
};

export default config;

// PostGraphile 5 over Concord's tables, for the benchmark's comparison (BENCHMARKS.md).
// No row-level security: it serves every row, so it does less than Concord (no scoping,
// no audit rows). Relations come from the foreign keys of Concord's migrations.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";

const port = Number(process.env.PORT ?? 5678);

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: { port, host: "127.0.0.1", graphiql: false },
  grafast: { explain: false },
};

export default preset;

// Compares the committed schema.graphql with the last release's SDL and fails on any
// breaking change whose schema coordinate is not named in the `## Unreleased` section
// of CHANGELOG.md. The policy is in docs/schema-changes.md.
//
// Paths can be overridden (used by the test suite to prove the check fails):
//   SCHEMA=… PREVIOUS=… CHANGELOG=… node check.mjs
import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { CriticalityLevel, diff } from "@graphql-inspector/core";

const root = new URL("../../", import.meta.url).pathname;
const PREVIOUS = process.env.PREVIOUS ?? `${root}docs/schema/releases/0.3.0.graphql`;
const SCHEMA = process.env.SCHEMA ?? `${root}schema.graphql`;
const CHANGELOG = process.env.CHANGELOG ?? `${root}CHANGELOG.md`;

const load = (path) => buildSchema(readFileSync(path, "utf8"));

/** The text of the `## Unreleased` section, or "" when there is none. */
function unreleased(changelog) {
  const lines = changelog.split("\n");
  const start = lines.findIndex((line) => /^## Unreleased\b/i.test(line));
  if (start < 0) return "";
  const end = lines.findIndex((line, i) => i > start && /^## /.test(line));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The ways a change's coordinate may be written: `Type.field.arg` as GraphQL
 * Inspector reports it, or `Type.field(arg:)` as schema coordinates write it. */
function spellings(path) {
  const parts = path.split(".");
  const forms = [path];
  if (parts.length === 3) forms.push(`${parts[0]}.${parts[1]}(${parts[2]}:)`);
  return forms;
}

const changes = await diff(load(PREVIOUS), load(SCHEMA));
const notes = unreleased(readFileSync(CHANGELOG, "utf8"));
const unrecorded = [];
for (const change of changes) {
  const level = change.criticality.level;
  const path = change.path ?? "";
  const recorded = path !== "" && spellings(path).some((form) => notes.includes(form));
  const mark =
    level === CriticalityLevel.Breaking ? (recorded ? "breaking (recorded)" : "BREAKING") : level.toLowerCase();
  console.log(`${mark}: ${path || "(schema)"}: ${change.message}`);
  if (level === CriticalityLevel.Breaking && !recorded) unrecorded.push(`${path}: ${change.message}`);
}
console.log(`${changes.length} change(s) against ${PREVIOUS.replace(root, "")}`);
if (unrecorded.length > 0) {
  console.error(
    `\n${unrecorded.length} breaking change(s) not named in CHANGELOG.md's "## Unreleased" section:\n` +
      unrecorded.map((line) => `  - ${line}`).join("\n") +
      "\nName each schema coordinate there with what clients should do, or make the change additive (docs/schema-changes.md).",
  );
  process.exit(1);
}

// Parse and validate an AsyncAPI document with the official parser; exit 1 with the
// diagnostics when it has errors (warnings are printed but do not fail).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { Parser, fromFile } from "@asyncapi/parser";

const ERROR = 0;
const WARNING = 1;
const path = resolve(process.argv[2] ?? "../../docs/events/asyncapi.yaml");

function where(diagnostic) {
  const at = diagnostic.range?.start;
  const line = at ? `${at.line + 1}:${at.character + 1}` : "?";
  return `${path}:${line} (${diagnostic.path.join(".") || "<root>"})`;
}

await readFile(path); // a clear ENOENT before the parser's own message
const parser = new Parser();
const { document, diagnostics } = await fromFile(parser, path).parse();
const errors = diagnostics.filter((d) => d.severity === ERROR);
const warnings = diagnostics.filter((d) => d.severity === WARNING);
for (const d of [...errors, ...warnings]) {
  const level = d.severity === ERROR ? "error" : "warning";
  console.error(`${level} ${d.code}: ${d.message}\n  at ${where(d)}`);
}
if (document === undefined || errors.length > 0) {
  console.error(`${path}: invalid AsyncAPI (${errors.length} errors)`);
  process.exit(1);
}
const channels = document.channels().length;
const operations = document.operations().length;
const messages = document.components().messages().length;
console.log(
  `${path}: valid AsyncAPI ${document.version()} ` +
    `(${channels} channels, ${operations} operations, ${messages} messages, ` +
    `${warnings.length} warnings)`,
);

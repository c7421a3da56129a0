// Parses and validates an AsyncAPI document (docs/asyncapi.yaml for `make lint`) with the
// AsyncAPI parser: the document against the AsyncAPI 3 schema, its references, and the
// parser's own rules. Prints the errors and warnings, and exits 1 on any.
// (Its rules for AsyncAPI 3 do not check the messages' examples: the consumer tests do,
// tests/conferencing/test_asyncapi_contract.py.)
import { Parser, fromFile } from "@asyncapi/parser";

const SEVERITY = ["error", "warning", "info", "hint"];
const path = process.argv[2] ?? "docs/asyncapi.yaml";

const { document, diagnostics } = await fromFile(new Parser(), path).parse();
let failed = document === undefined;
for (const diagnostic of diagnostics) {
  // Infos and hints (such as "a newer AsyncAPI version exists") are advice, not faults.
  if (diagnostic.severity > 1) continue;
  const severity = SEVERITY[diagnostic.severity] ?? String(diagnostic.severity);
  const { line, character } = diagnostic.range.start;
  console.error(
    `${path}:${line + 1}:${character + 1}: ${severity} ${diagnostic.code}: ${diagnostic.message}` +
      (diagnostic.path.length ? ` (at ${diagnostic.path.join(".")})` : ""),
  );
  failed = true;
}
if (failed) {
  console.error(`${path}: not a valid AsyncAPI document`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()}`);

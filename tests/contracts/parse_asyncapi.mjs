// Reads AsyncAPI documents (paths as arguments) with the official parser; prints, as JSON, each
// document's errors and warnings as the parser reports them. Exit code 0 either way: the test
// judges.
import { readFile } from "node:fs/promises";
import { Parser } from "@asyncapi/parser";

const parser = new Parser();
const results = {};
for (const path of process.argv.slice(2)) {
  const { diagnostics } = await parser.parse(await readFile(path, "utf8"));
  results[path] = diagnostics.map((d) => ({
    severity: ["error", "warning", "information", "hint"][d.severity],
    code: d.code,
    message: d.message,
    path: d.path.join("/"),
  }));
}
console.log(JSON.stringify(results));

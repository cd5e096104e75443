// Rewrites the README's configuration table from the config schema (`npx tsx scripts/config-table.ts`),
// so the documentation cannot drift from what the code accepts; a unit test checks they agree.
import fs from "node:fs";
import path from "node:path";
import { describeRunnerConfig } from "../sandbox-runner/src/config/config";

export function configTable(): string {
  const rows = describeRunnerConfig().map((o) => `| \`${o.name}\` | ${o.default ? `\`${o.default}\`` : ""} | ${o.description} |`);
  return ["| variable | default | meaning |", "|---|---|---|", ...rows].join("\n");
}

export function withTable(readme: string): string {
  return readme.replace(
    /<!-- config-table:start -->[\s\S]*<!-- config-table:end -->/,
    `<!-- config-table:start -->\n${configTable()}\n<!-- config-table:end -->`,
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const file = path.resolve(__dirname, "../README.md");
  fs.writeFileSync(file, withTable(fs.readFileSync(file, "utf8")));
}

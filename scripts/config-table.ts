// Rewrites the README's configuration table from the app's and the runner's config schemas
// (`npx tsx scripts/config-table.ts`), so the documentation cannot drift from what the code
// accepts; a unit test checks they agree.
import fs from "node:fs";
import path from "node:path";
import type { ConfigOption } from "../contract/config";
import { describeAppConfig } from "../app/_lib/config";
import { describeRunnerConfig } from "../sandbox-runner/src/config/config";

/** One row per variable, saying which side reads it; a variable both read is listed once. */
export function configRows(): (ConfigOption & { readBy: string })[] {
  const rows = new Map<string, ConfigOption & { readBy: string }>();
  for (const [side, options] of [
    ["app", describeAppConfig()],
    ["runner", describeRunnerConfig()],
  ] as const)
    for (const o of options) {
      const seen = rows.get(o.name);
      if (seen) seen.readBy += `, ${side}`;
      else rows.set(o.name, { ...o, readBy: side });
    }
  return [...rows.values()];
}

export function configTable(): string {
  const rows = configRows().map((o) => `| \`${o.name}\` | ${o.readBy} | ${o.default ? `\`${o.default}\`` : ""} | ${o.description} |`);
  return ["| variable | read by | default | meaning |", "|---|---|---|---|", ...rows].join("\n");
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

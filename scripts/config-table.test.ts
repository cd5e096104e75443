import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { withTable } from "./config-table";

it("the README's configuration table matches the config schema (run `npx tsx scripts/config-table.ts`)", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");
  expect(withTable(readme)).toBe(readme);
});

it("a variable both the app and the runner read means the same on both sides", async () => {
  const { describeAppConfig } = await import("../app/_lib/config");
  const { describeRunnerConfig } = await import("../sandbox-runner/src/config/config");
  const runner = new Map(describeRunnerConfig().map((o) => [o.name, o]));
  const shared = describeAppConfig().filter((o) => runner.has(o.name));
  expect(shared.map((o) => o.name)).toContain("DATA_DIR");
  for (const o of shared) expect(o, o.name).toEqual(runner.get(o.name));
});

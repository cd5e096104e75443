import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { withTable } from "./config-table";

it("the README's configuration table matches the config schema (run `npx tsx scripts/config-table.ts`)", () => {
  const readme = fs.readFileSync(path.resolve(__dirname, "../README.md"), "utf8");
  expect(withTable(readme)).toBe(readme);
});

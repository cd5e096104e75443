import path from "node:path";
import { ESLint } from "eslint";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * The walls hold: the project's own ESLint configuration refuses an import across them. Each case
 * lints a one-line file as if it sat at `file` (nothing is written).
 */
const eslint = new ESLint({ cwd: path.resolve(__dirname, "..") });

async function refusals(file: string, spec: string): Promise<string[]> {
  const [r] = await eslint.lintText(`import { x } from ${JSON.stringify(spec)};\nexport const y = x;\n`, { filePath: file });
  return (r?.messages ?? []).filter((m) => m.ruleId === "no-restricted-imports").map((m) => m.message);
}

describe("the walls between app, runner and contract", () => {
  // Loading the configuration (Next's rules, the TypeScript parser) takes seconds on a loaded machine.
  beforeAll(() => eslint.calculateConfigForFile("app/_lib/x.ts"), 120_000);

  it.each([
    ["app/_lib/wrong.ts", "@runner/server/http"],
    ["app/_lib/wrong.ts", "../../sandbox-runner/src/config/config"],
    ["app/_components/terminal/Wrong.tsx", "@runner/terminal/flow"],
    ["sandbox-runner/src/server/wrong.ts", "../../../app/_lib/db"],
    ["sandbox-runner/src/server/wrong.ts", "@/_lib/runner"],
    ["contract/wrong.ts", "../sandbox-runner/src/sandbox/manager"],
    ["contract/wrong.ts", "@runner/sandbox/manager"],
    ["contract/wrong.ts", "../app/_lib/config"],
  ])(
    "%s may not import %s",
    async (file, spec) => {
      expect(await refusals(file, spec)).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    ["app/_lib/right.ts", "@contract/runner-client"],
    ["app/_lib/right.ts", "./config"],
    ["sandbox-runner/src/server/right.ts", "../../../contract/protocol"],
    ["contract/right.ts", "./protocol"],
    // Integration tests drive both sides and stand outside the walls.
    ["app/_lib/both.int.test.ts", "@runner/security/harness"],
  ])(
    "%s may import %s",
    async (file, spec) => {
      expect(await refusals(file, spec)).toEqual([]);
    },
    60_000,
  );
});

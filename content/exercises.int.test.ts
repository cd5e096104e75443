/**
 * Every exercise in a real sandbox (runc, the course Image): a check that passes before its work
 * is done is a broken check. Per exercise: check fails on the untouched sandbox, setup succeeds,
 * check fails with a message in each language, the exercise's cheat.sh (the answers typed in by hand
 * without doing the task) still fails the check, the solution succeeds, and the check passes.
 * One fresh sandbox per lesson; exercises run in the lesson's order, as a learner meets them.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type ExecResult, type SandboxImage } from "../sandbox-runner/src/sandbox/manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../sandbox-runner/test/image-fixture";
import { loadCourse, type Course, type Exercise, type Locale } from "./lib/load";

// Checks read files the learner writes; the limits are the ordinary learner ones, not the tiny
// ones the runner's limit tests use, so a memory limit of 64 MiB would still be a valid answer.
// Own DATA_DIR: the runner's own integration tests may run at the same time, and a manager's init()
// removes sandboxes it finds in its runner dir as leftovers of a crash.
const cfg = testConfig({
  DATA_DIR: path.join(TEST_DATA_DIR, "..", "test-content"),
  SANDBOX_MEMORY_MB: "256",
  SANDBOX_PIDS: "128",
  SANDBOX_DISK_MB: "64",
});
const course: Course = await loadCourse();
let image: SandboxImage;
let manager: SandboxManager;

beforeAll(async () => {
  image = await testImage(cfg);
  manager = new SandboxManager(cfg, image, testLogger());
  await manager.init();
});
afterAll(async () => {
  await manager?.shutdown();
});

/** Runs a script the way the app does: COURSE_LANG exported first, `bash -c`, cwd /root. */
function run(sandbox: string, ex: Exercise, script: string, lang: Locale = "pt-BR"): Promise<ExecResult> {
  return manager.exec(sandbox, `export COURSE_LANG='${lang}'\n${script}`, { timeoutMs: ex.timeoutMs });
}
/**
 * A check the way the app sends it: a batch (`POST /v1/sandboxes/:id/checks`), which runs in the
 * sandbox's Check agent, one more process beside the learner's (`verificador-do-curso`).
 */
async function runCheck(sandbox: string, ex: Exercise, lang: Locale = "pt-BR"): Promise<ExecResult> {
  const [r] = await manager.runChecks(sandbox, [
    { id: ex.id, script: `export COURSE_LANG='${lang}'\n${ex.scripts.check}`, timeoutMs: ex.timeoutMs },
  ]);
  return r!;
}
const lastLine = (r: ExecResult) =>
  r.output
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? "";
const show = (r: ExecResult) => `exit ${r.exitCode}${r.timedOut ? " (timed out)" : ""}:\n${r.output}`;

for (const lesson of course.lessons) {
  describe(`lesson ${lesson.id}`, () => {
    let sandbox: string;
    beforeAll(async () => {
      sandbox = (await manager.create(`content-test-${lesson.id}`)).id;
    });
    afterAll(async () => {
      if (sandbox) await manager.destroy(sandbox);
    });

    for (const ex of lesson.exercises) {
      it(`${ex.id}: fails before the work and on the typed-in answer, tells what is wrong in both languages, passes after the solution`, async () => {
        const untouched = await runCheck(sandbox, ex);
        expect(untouched.exitCode, `check passed before setup:\n${show(untouched)}`).not.toBe(0);

        const setup = await run(sandbox, ex, ex.scripts.setup);
        expect(setup.exitCode, `setup failed, ${show(setup)}`).toBe(0);

        const pt = await runCheck(sandbox, ex, "pt-BR");
        const en = await runCheck(sandbox, ex, "en");
        expect(pt.exitCode, `check passed right after setup:\n${show(pt)}`).not.toBe(0);
        expect(en.exitCode).not.toBe(0);
        expect(lastLine(pt).length).toBeGreaterThan(10);
        expect(lastLine(en).length).toBeGreaterThan(10);
        expect(lastLine(pt), "the pt-BR and en messages should differ").not.toBe(lastLine(en));

        // A check must see the work, not just the text of the answer.
        const cheat = await run(sandbox, ex, ex.scripts.cheat);
        expect(cheat.exitCode, `cheat.sh failed, ${show(cheat)}`).toBe(0);
        const cheated = await runCheck(sandbox, ex, "en");
        expect(cheated.timedOut, `check timed out after cheat.sh:\n${show(cheated)}`).toBe(false);
        expect(cheated.exitCode, `check accepted the typed-in answer of cheat.sh:\n${show(cheated)}`).not.toBe(0);
        expect(lastLine(cheated).length).toBeGreaterThan(10);

        const solution = await run(sandbox, ex, ex.scripts.solution);
        expect(solution.exitCode, `solution failed, ${show(solution)}`).toBe(0);

        const after = await runCheck(sandbox, ex, "en");
        expect(after.exitCode, `check failed after the solution:\n${show(after)}`).toBe(0);
        expect(lastLine(after)).toMatch(/^Right/);
      });
    }
  });
}

it("every check above ran in its sandbox's Check agent: one agent per lesson, no fallback exec", () => {
  const s = manager.checkPathStats();
  expect(s.execBatches).toBe(0);
  expect(s.agentsLost).toBe(0);
  expect(s.agentStarts).toBe(course.lessons.filter((l) => l.exercises.length > 0).length);
});

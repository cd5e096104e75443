import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { REPO, startRunner, type RunnerProcess } from "../lib/runner-process";
import { runStep } from "./step";

/**
 * The load script in small (3 learners, about 10 s) against a real runner child process with its
 * own DATA_DIR: behaviour only, no timing thresholds (the machine is shared with other tests).
 * Every session stays up, every key is echoed, every Check answers, every reconnect restores the screen.
 */
let runner: RunnerProcess;
let dataDir: string;

beforeAll(async () => {
  // Under the repository's .data (as the runner's own tests): sandboxes' id-mapped users must be able to traverse it.
  fs.mkdirSync(path.join(REPO, ".data"), { recursive: true });
  dataDir = fs.mkdtempSync(path.join(REPO, ".data", "load-int-"));
  fs.chmodSync(dataDir, 0o755);
  runner = await startRunner({ dataDir, env: { SANDBOX_CAPACITY: "10", SANDBOX_POOL_SIZE: "0" } });
});

afterAll(async () => {
  await runner?.stop();
  if (dataDir && !process.env.KEEP_LOAD_DIR) fs.rmSync(dataDir, { recursive: true, force: true });
});

it("3 learners at once: no dropped session, all echoes, checks answer, reconnects restore the screen", async () => {
  const r = await runStep({
    learners: 3,
    durationMs: 10_000,
    rampMs: 500,
    runner: runner.client,
    runnerUrl: runner.url,
    wsUrl: runner.wsUrl,
    secret: runner.secret,
  });
  expect(r.droppedReasons).toEqual([]);
  expect(r.dropped).toBe(0);
  expect(r.keysSent).toBeGreaterThan(30);
  expect(r.echoesMissing).toBe(0);
  expect(r.echo.n).toBe(r.keysSent);
  expect(r.check.n).toBeGreaterThanOrEqual(3);
  expect(r.checkFailures).toBe(0);
  expect(r.reconnects).toBeGreaterThanOrEqual(3);
  expect(r.reconnectsRestored).toBe(r.reconnects);
  // Every sandbox was destroyed afterwards.
  expect((await runner.client.health()).sandboxes).toBe(0);
}, 180_000);

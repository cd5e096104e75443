/**
 * The app's view of runner failures, against real things: a closed port (runner down) and a real
 * runner process (`tsx sandbox-runner/src/main.ts`) started with SANDBOX_CAPACITY=1 (capacity full:
 * a place in line, then a destroyed sandbox = expired). Each failure must come out as the code the UI acts on and a
 * message in the learner's language.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunnerClient } from "@contract/runner-client";
import { generateSigningKeys } from "@contract/token";
import { freePort, sleep } from "@runner/security/harness";
import { TEST_DATA_DIR, testConfig, testImage } from "../../sandbox-runner/test/image-fixture";
import { SandboxProblem, actionError, runnerApiFor } from "./runner";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
const DATA_DIR = TEST_DATA_DIR + "-h10";
let child: ChildProcess | undefined;
let base = "";

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error("expected the call to fail");
}

beforeAll(async () => {
  // The runner finds its Image under DATA_DIR/runner/image: share the test Image (no rebuild).
  await testImage(testConfig());
  const runnerDir = path.join(DATA_DIR, "runner");
  fs.mkdirSync(runnerDir, { recursive: true });
  const link = path.join(runnerDir, "image");
  if (!fs.existsSync(link)) fs.symlinkSync(path.join(testConfig().runnerDir, "image"), link);
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "sandbox-runner/src/main.ts")], {
    env: {
      ...process.env,
      DATA_DIR,
      APP_PUBLIC_KEY: KEYS.publicKey,
      RUNNER_HOST: "127.0.0.1",
      RUNNER_PORT: String(port),
      SANDBOX_CAPACITY: "1",
      SANDBOX_POOL_SIZE: "0",
      SANDBOX_MEMORY_MB: "64",
      SANDBOX_PIDS: "64",
      SANDBOX_DISK_MB: "16",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const until = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`runner exited (${child.exitCode}) before answering: ${stderr}`);
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() > until) throw new Error(`runner did not answer /healthz within 90 s: ${stderr}`);
    await sleep(100);
  }
});

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill("SIGTERM");
    await new Promise((r) => child!.on("exit", r));
  }
});

describe("runner failures as the learner sees them", () => {
  it("a closed port is runner-down, with the message in pt-BR and en", async () => {
    const port = await freePort(); // free = nobody listens there
    const api = runnerApiFor(new RunnerClient({ baseUrl: `http://127.0.0.1:${port}`, privateKey: KEYS.privateKey }));
    const e = await rejection(api.createSandbox("g_someone"));
    expect(e).toBeInstanceOf(SandboxProblem);
    expect((e as SandboxProblem).code).toBe("runner-down");
    // The page words the code from the catalogue (app/_i18n/sandbox-errors.test.ts).
    expect(actionError(e)).toEqual({ ok: false, code: "runner-down" });
    // Every call, not just create: a Check against a dead runner is runner-down too.
    expect(((await rejection(api.exec("sb-x", "true", { timeoutMs: 1000 }))) as SandboxProblem).code).toBe("runner-down");
  });

  it("a full runner puts the learner in line (queued, their place, when to ask again); a destroyed sandbox is expired; freed capacity goes to them", async () => {
    const api = runnerApiFor(new RunnerClient({ baseUrl: base, privateKey: KEYS.privateKey }));
    const first = await api.createSandbox("g_first");
    try {
      const e = await rejection(api.createSandbox("g_second"));
      expect((e as SandboxProblem).code).toBe("queued");
      const pt = actionError(e);
      expect(pt).toMatchObject({ ok: false, code: "queued", position: 1 });
      expect(pt.retryAfter).toBeGreaterThan(0);
    } finally {
      await api.destroySandbox(first.id);
    }
    // The learner's recorded sandbox is gone: the app sees null (and makes a new one), a Check there is "expired".
    expect(await api.getSandbox(first.id)).toBeNull();
    const gone = await rejection(api.exec(first.id, "true", { timeoutMs: 5000 }));
    expect((gone as SandboxProblem).code).toBe("expired");
    expect(actionError(gone)).toEqual({ ok: false, code: "expired" });
    const again = await api.createSandbox("g_second");
    expect((await api.exec(again.id, "echo ok", { timeoutMs: 10_000 })).output.trim()).toBe("ok");
    await api.destroySandbox(again.id);
  });
});

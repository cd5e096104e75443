/**
 * The line for a full runner, against real runc sandboxes behind the real HTTP API: a storm of
 * learners on a runner with room for two gets two sandboxes and four places in line (HTTP 202, as
 * PROTOCOL.md says), the line moves up when a sandbox ends, the first in line gets the room, and a
 * learner who stops asking drops out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager } from "../sandbox/manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { createRunnerServer, type RunnerServer } from "./server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { RunnerClient, type EnsureAnswer, type EnsureQueued } from "../../../contract/runner-client";

const KEYS = generateSigningKeys();
const LEAVE_MS = 3000;
const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-queue", SANDBOX_CAPACITY: "2", SANDBOX_STARTS_AT_ONCE: "1" });
let manager: SandboxManager;
let server: RunnerServer;
let base: string;
let runner: RunnerClient;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  const image = await testImage(testConfig());
  manager = new SandboxManager(cfg, image, testLogger());
  await manager.init();
  server = createRunnerServer({
    sandboxes: manager,
    publicKey: KEYS.publicKey,
    runnerDir: cfg.runnerDir,
    log: testLogger(),
    terminalsPerSandbox: 2,
    recordingMaxBytes: 1 << 20,
    queueLeaveMs: LEAVE_MS,
  });
  base = (await server.listen(0, "127.0.0.1")).url;
  runner = new RunnerClient({ baseUrl: base, privateKey: KEYS.privateKey });
});

afterAll(async () => {
  await server?.close();
  await manager?.shutdown();
});

/** POST /v1/sandboxes/ensure as a client written from PROTOCOL.md would: the status and the body. */
async function ensureRaw(owner: string): Promise<{ status: number; body: EnsureAnswer }> {
  const token = await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" });
  const res = await fetch(`${base}/v1/sandboxes/ensure`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ owner, lang: "en" }),
  });
  return { status: res.status, body: (await res.json()) as EnsureAnswer };
}

/** As PROTOCOL.md says: a place in line has a `queued` field (and came with HTTP 202). */
const isQueued = (a: EnsureAnswer): a is EnsureQueued => "queued" in a;
const position = (a: EnsureAnswer) => (isQueued(a) ? a.queued.position : 0);

describe("a full runner keeps a line instead of refusing", () => {
  it("a storm of 6 on room for 2: 2 served, 4 in line at 1..4; the line moves up when a sandbox ends; a leaver drops out", async () => {
    const owners = ["l1", "l2", "l3", "l4", "l5", "l6"];
    const storm = await Promise.all(owners.map((o) => ensureRaw(o)));
    const served = storm.filter((r) => r.status === 200);
    const queued = storm.filter((r) => r.status === 202);
    expect(served).toHaveLength(2);
    expect(queued).toHaveLength(4);
    for (const r of served) expect(r.body).toMatchObject({ created: true, sandbox: { state: "running" } });
    expect(queued.map((r) => position(r.body)).sort()).toEqual([1, 2, 3, 4]);
    for (const r of queued) {
      expect(r.body).toMatchObject({ queued: { pollAfterMs: expect.any(Number), leaveAfterMs: LEAVE_MS } });
      if (isQueued(r.body)) expect(r.body.queued.waiting).toBeGreaterThanOrEqual(r.body.queued.position);
    }

    // Who is where: asking again keeps the place.
    const inLine = owners.filter((_, i) => storm[i]!.status === 202);
    const byPlace = [...inLine].sort((a, b) => position(storm[owners.indexOf(a)]!.body) - position(storm[owners.indexOf(b)]!.body));
    for (const [i, o] of byPlace.entries()) expect(position((await ensureRaw(o)).body)).toBe(i + 1);
    expect(server.ensurer.lineView().owners).toEqual(byPlace);

    // A sandbox ends: the first in line gets it (started for them at once); the others move up.
    const first = served[0]!.body;
    if (isQueued(first)) throw new Error("served answer expected");
    await runner.destroySandbox(first.sandbox.id);
    const [w1, w2, w3, w4] = byPlace as [string, string, string, string];
    const got = await runner.ensure({ owner: w1, lang: "en" });
    expect(got).toMatchObject({ created: true, sandbox: { owner: w1, state: "running" } });
    expect(position(await runner.ensure({ owner: w2 }))).toBe(1);
    expect(position(await runner.ensure({ owner: w3 }))).toBe(2);
    expect(position(await runner.ensure({ owner: w4 }))).toBe(3);
    // Nobody jumps the line: a newcomer goes to its end.
    expect(position(await runner.ensure({ owner: "late" }))).toBe(4);

    // w2 stops asking; the others keep asking (as their pages do) until w2 has dropped out.
    let w3At = 2;
    while (w3At !== 1) {
      await sleep(300);
      const [a, , c] = await Promise.all([runner.ensure({ owner: w3 }), runner.ensure({ owner: w4 }), runner.ensure({ owner: "late" })]);
      w3At = position(a);
      expect(position(c)).toBeGreaterThan(0);
    }
    expect(server.ensurer.lineView().owners).toEqual([w3, w4, "late"]);
    // Coming back, w2 is at the end of the line.
    expect(position(await runner.ensure({ owner: w2 }))).toBe(4);
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ sandboxes: 2, waiting: 4 });
  }, 120_000);
});

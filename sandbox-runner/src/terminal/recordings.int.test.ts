/**
 * Recordings against real runc sandboxes and the real runner: a learner who opens and exits
 * Terminals while printing a lot stays under the per-sandbox and per-learner caps (each cut cast
 * stays valid and ends with a marker), the Terminal keeps working past the caps, other learners
 * still record; recordings outlive their sandbox until the retention period, then the sweep at
 * runner start and the periodic one delete them; the listing and the replay serve what remains.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager } from "../sandbox/manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { createRunnerServer, type RunnerServer } from "../server/server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { autoAck, rawClient } from "../server/testing";
import { RunnerClient } from "../../../contract/runner-client";
import { recordingPath } from "./recorder";
import { STOP_REASON } from "./recording-quota";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-recordings" });
const KiB = 1024;
const TERMINAL_CAP = 128 * KiB;
const SANDBOX_CAP = 320 * KiB;
const LEARNER_CAP = 480 * KiB;
const DAY = 24 * 3600_000;
const LIMITS = {
  perSandboxBytes: SANDBOX_CAP,
  perOwnerBytes: LEARNER_CAP,
  totalBytes: 64 * 1024 * KiB,
  retentionMs: 30 * DAY,
  sweepIntervalMs: 200,
};
let manager: SandboxManager;
let server: RunnerServer;
let wsUrl: string;
let runner: RunnerClient;
const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(): Promise<void> {
  server = createRunnerServer({
    sandboxes: manager,
    publicKey: KEYS.publicKey,
    runnerDir: cfg.runnerDir,
    log: testLogger(),
    terminalsPerSandbox: 2,
    recordingMaxBytes: TERMINAL_CAP,
    recordings: LIMITS,
  });
  const addr = await server.listen(0, "127.0.0.1");
  wsUrl = addr.url.replace("http", "ws") + "/v1/terminals";
  runner = new RunnerClient({ baseUrl: addr.url, privateKey: KEYS.privateKey });
}

beforeAll(async () => {
  fs.rmSync(path.join(cfg.runnerDir, "recordings"), { recursive: true, force: true });
  const image = await testImage(testConfig());
  manager = new SandboxManager(cfg, image, testLogger());
  await manager.init();
  await startServer();
});

afterAll(async () => {
  await server?.close();
  await manager?.shutdown();
});

/** Opens a new Terminal, runs `command` in it, and resolves with its id once the shell has exited. */
async function terminalRun(sid: string, owner: string, command: string): Promise<string> {
  const c = await rawClient(wsUrl, { token: await signToken(KEYS.privateKey, { sub: owner, sid, role: "learner" }), cols: 80, rows: 24 });
  autoAck(c);
  const att = await c.waitFor("attached", undefined, 60_000);
  await c.waitFor("snapshot", undefined, 60_000);
  c.send({ type: "input", data: enc.encode(`${command}; exit\r`) });
  await c.waitFor("exit", undefined, 120_000);
  await c.closed;
  return att.attached.terminal;
}

/** Prints about 400 KB (more than a terminal's cap) of lines. */
const FLOOD = "head -c 400000 /dev/zero | tr '\\0' x | fold -w 79";

/** The cast files of a sandbox with their sizes (after the recorders finished writing). */
function casts(sid: string): { id: string; size: number; lines: unknown[][] }[] {
  const dir = path.join(cfg.runnerDir, "recordings", sid);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cast"))
    .map((f) => {
      const text = fs.readFileSync(path.join(dir, f), "utf8");
      // Every line parses: a cut recording is still a valid asciicast v2 file.
      const lines = text
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as unknown[]);
      return { id: f.slice(0, -5), size: Buffer.byteLength(text), lines };
    });
}
const total = (cs: { size: number }[]) => cs.reduce((n, c) => n + c.size, 0);

/** Waits until the recorders of exited Terminals have closed their files (nothing live left). */
async function settled(sid: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    // (`?.`: without a store, as before the caps, there is nothing to wait for.)
    if ((server.recordings?.list(sid) ?? []).every((r) => !r.live)) return;
    await sleep(50);
  }
  throw new Error(`recordings of ${sid} still being written after 30 s`);
}

let sbA = "";
let sbB = "";

describe("recordings in real sandboxes", () => {
  it("a learner who opens and exits terminals while printing a lot stays under the caps; terminals keep working", async () => {
    sbA = (await runner.createSandbox("mallory")).id;
    sbB = (await runner.createSandbox("mallory")).id;
    for (const sid of [sbA, sbA, sbA, sbA, sbB, sbB, sbB, sbB]) await terminalRun(sid, "mallory", FLOOD);
    await settled(sbA);
    await settled(sbB);
    const a = casts(sbA);
    const b = casts(sbB);
    console.log(`mallory's recordings: sandbox A ${a.map((c) => c.size).join("+")} B ${b.map((c) => c.size).join("+")} bytes`);
    expect(total(a)).toBeLessThanOrEqual(SANDBOX_CAP);
    expect(total(b)).toBeLessThanOrEqual(SANDBOX_CAP);
    expect(total(a) + total(b)).toBeLessThanOrEqual(LEARNER_CAP);
    // What was recorded carries the flood; each cut file ends with a marker saying what cut it.
    const markers = [...a, ...b].map((c) => c.lines.at(-1)!).filter((l) => l[1] === "m");
    // Which cap acts first depends on how much each Terminal recorded, and a loaded machine drops
    // output when the disk falls behind: every marker names a cap, and a cap across Terminals acted.
    const reasons = markers.map((m) => m[2]);
    for (const r of reasons) expect(Object.values(STOP_REASON)).toContain(r);
    expect(reasons.some((r) => r === STOP_REASON.sandbox || r === STOP_REASON.owner)).toBe(true);
    for (const c of [...a, ...b]) expect(c.lines[0]).toMatchObject({ version: 2, width: 80, height: 24 });

    // Past every cap, the learner's terminal still works, and so do Checks.
    const c = await rawClient(wsUrl, { token: await signToken(KEYS.privateKey, { sub: "mallory", sid: sbA, role: "learner" }) });
    autoAck(c);
    await c.waitFor("snapshot", undefined, 60_000);
    c.send({ type: "input", data: enc.encode("echo works-$((6*7))\r") });
    await c.waitOutput(/works-42/, 60_000);
    c.ws.close();
    await c.closed;
    expect((await runner.exec(sbA, "echo check-ok")).output.trim()).toBe("check-ok");

    // Another learner records as usual.
    const sbC = (await runner.createSandbox("bob")).id;
    await terminalRun(sbC, "bob", FLOOD);
    await settled(sbC);
    const [bob] = casts(sbC);
    // How much of a flood a Terminal records before its shell exits depends on the machine's load;
    // what matters is that mallory's caps do not touch bob: his flood is recorded, and if his file
    // was cut, it was by his own Terminal's size cap.
    expect(bob!.lines.some((l) => l[1] === "o" && String(l[2]).includes("x".repeat(79)))).toBe(true);
    const last = bob!.lines.at(-1)!;
    if (last[1] === "m") expect(last[2]).toBe(STOP_REASON.terminal);
    await runner.destroySandbox(sbC);
  });

  it("recordings outlive their sandbox until retention; the sweeps delete old ones; listing and replay serve the rest", async () => {
    await runner.destroySandbox(sbA);
    const a = casts(sbA);
    expect(a.length).toBeGreaterThan(0); // a destroyed sandbox's recordings stay for the replay
    const b = casts(sbB).map((c) => c.id);
    expect((await runner.listRecordings(sbA)).map((r) => r.terminalId).sort()).toEqual(a.map((c) => c.id).sort());

    // Older than the retention period: the sweep at the next runner start deletes them.
    const past = new Date(Date.now() - 40 * DAY);
    for (const c of a) fs.utimesSync(recordingPath(cfg.runnerDir, sbA, c.id), past, past);
    await server.close();
    await startServer();
    expect(casts(sbA)).toEqual([]);
    expect(await runner.listRecordings(sbA)).toEqual([]);
    expect(await runner.recording(sbA, a[0]!.id)).toBeNull();

    // The rest is listed and replayed.
    expect((await runner.listRecordings(sbB)).map((r) => r.terminalId).sort()).toEqual([...b].sort());
    const text = await runner.recording(sbB, b[0]!);
    expect(JSON.parse(text!.split("\n")[0]!)).toMatchObject({ version: 2 });

    // The periodic sweep (every 200 ms here) takes one that ages while the runner runs.
    fs.utimesSync(recordingPath(cfg.runnerDir, sbB, b[0]!), past, past);
    for (let i = 0; i < 600 && fs.existsSync(recordingPath(cfg.runnerDir, sbB, b[0]!)); i++) await sleep(50);
    expect(fs.existsSync(recordingPath(cfg.runnerDir, sbB, b[0]!))).toBe(false);
    expect((await runner.listRecordings(sbB)).map((r) => r.terminalId).sort()).toEqual(b.slice(1).sort());
    await runner.destroySandbox(sbB);
  });
});

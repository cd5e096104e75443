/**
 * The terminal path against real runc sandboxes (SandboxManager + the course Image): a learner's
 * login shell in the container over the runner's WebSocket, resize, shell-integration events,
 * flow control under `yes`, reattach, observers, and destroy closing the socket.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager } from "../sandbox/manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { createRunnerServer, type RunnerServer } from "./server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { autoAck, rawClient } from "./testing";
import { CloseCode } from "../../../contract/protocol";
import { RunnerClient, isQueued, type EnsureRequest } from "../../../contract/runner-client";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
// Own DATA_DIR for sandboxes (other suites' init() cleans up "leftovers" in the shared one), the
// shared test Image.
const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-server" });
let manager: SandboxManager;
let server: RunnerServer;
let wsUrl: string;
let runner: RunnerClient;
let addrUrl: string;
const enc = new TextEncoder();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const learner = (sid: string, sub = "alice") => signToken(KEYS.privateKey, { sub, sid, role: "learner" });

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
  });
  const addr = await server.listen(0, "127.0.0.1");
  wsUrl = addr.url.replace("http", "ws") + "/v1/terminals";
  runner = new RunnerClient({ baseUrl: addr.url, privateKey: KEYS.privateKey });
  addrUrl = addr.url;
});

afterAll(async () => {
  await server?.close();
  await manager?.shutdown();
});

describe("terminals in real sandboxes", () => {
  it("resize reaches the container's shell, marks become events, yes is throttled, reattach restores, destroy closes 4004", async () => {
    const sb = await runner.createSandbox("alice");
    const c = await rawClient(wsUrl, { token: await learner(sb.id), cols: 80, rows: 24 });
    autoAck(c);
    const att = (await c.waitFor("attached")).attached;
    await c.waitFor("snapshot");

    c.send({ type: "input", data: enc.encode("stty size\r") });
    await c.waitOutput(/(^|\D)24 80\r\n/, 20_000).catch((e) => {
      throw new Error(
        `${e.message}; frames: ${JSON.stringify(c.frames.map((f) => (f.type === "output" ? new TextDecoder().decode(f.data) : f)))}`,
      );
    });
    c.send({ type: "resize", cols: 120, rows: 40 });
    c.send({ type: "input", data: enc.encode("stty size; hostname\r") });
    await c.waitOutput(/(^|\D)40 120\r\n/);
    c.send({ type: "input", data: enc.encode("ls /nonexistent-dir\r") });
    const ev = await c.waitFor("event", (f) => f.event.type === "command-finished" && f.event.exitCode !== 0);
    expect(ev.event).toEqual({ type: "command-finished", exitCode: 2 });

    // A second client that never acknowledges: the PTY is paused, the runner's memory stays flat.
    c.ws.close();
    await c.closed;
    const slow = await rawClient(wsUrl, { token: await learner(sb.id), terminal: att.terminal, cols: 120, rows: 40 });
    await slow.waitFor("attached");
    const term = server.terminals.get(sb.id, att.terminal)!;
    // Everything the runner sent before it has arrived: a resize's event travels behind the output.
    let rows = 40;
    const roundTrip = async () => {
      const r = ++rows;
      slow.send({ type: "resize", cols: 120, rows: r });
      await slow.waitFor("event", (f) => f.event.type === "resize" && f.event.rows === r, 60_000);
    };
    slow.send({ type: "input", data: enc.encode("yes curso\r") });
    // Waited for, not timed: past the high-water mark (256 KiB) unacknowledged, this client holds the PTY paused.
    for (let i = 0; i < 1200 && !(slow.outputBytes() > 256 * 1024 && term.paused); i++) await sleep(50);
    await roundTrip();
    const rss0 = process.memoryUsage().rss;
    const got0 = slow.outputBytes();
    // `yes` goes on trying to write meanwhile; waiting longer only gives a leak more room to show.
    await sleep(3000);
    await roundTrip();
    const rss1 = process.memoryUsage().rss;
    console.log(
      `real sandbox yes: client got ${slow.outputBytes()} bytes, ${slow.outputBytes() - got0} during 3 s; rss ${(rss0 / 1e6).toFixed(1)} → ${(rss1 / 1e6).toFixed(1)} MB; paused=${term.paused}`,
    );
    expect(term.paused).toBe(true);
    expect(slow.outputBytes() - got0).toBeLessThan(64 * 1024);
    expect(rss1 - rss0).toBeLessThan(40 * 1024 * 1024);
    slow.send({ type: "input", data: new Uint8Array([3]) });
    slow.ws.close();
    await slow.closed;

    // Nobody attached: the Ctrl-C went through, the shell runs on; reattach gets the screen.
    await sleep(500);
    const back = await rawClient(wsUrl, { token: await learner(sb.id), terminal: att.terminal, cols: 120, rows: 40 });
    autoAck(back);
    const snap = await back.waitFor("snapshot");
    expect(snap.data).toContain("curso");
    back.send({ type: "input", data: enc.encode("clear; echo back-$((40+2))\r") });
    await back.waitOutput(/back-42/, 20_000);

    // An observer sees it but cannot type.
    const obs = await rawClient(wsUrl, {
      token: await signToken(KEYS.privateKey, { sub: "teacher", sid: sb.id, role: "observer" }),
      terminal: att.terminal,
    });
    autoAck(obs);
    expect((await obs.waitFor("snapshot")).data).toContain("back-42");
    obs.send({ type: "input", data: enc.encode("touch /tmp/observer-was-here\r") });
    expect((await obs.waitFor("error")).error.code).toBe("read-only");
    const check = await runner.exec(sb.id, "test -e /tmp/observer-was-here && echo present || echo absent");
    expect(check.output.trim()).toBe("absent");

    const tabs = await runner.listTerminals(sb.id);
    expect(tabs.map((t) => t.id)).toEqual([att.terminal]);

    await runner.destroySandbox(sb.id);
    expect((await back.closed).code).toBe(CloseCode.SANDBOX_GONE);
    expect((await obs.closed).code).toBe(CloseCode.SANDBOX_GONE);
    const cast = fs.readFileSync(`${cfg.runnerDir}/recordings/${sb.id}/${att.terminal}.cast`, "utf8").trimEnd().split("\n");
    expect(JSON.parse(cast[0]!)).toMatchObject({ version: 2, width: 80, height: 24 });
    expect(cast.slice(1).some((l) => l.includes("back-42"))).toBe(true);
  });
});

describe("a learner whose shell stops reading cannot stop the runner", () => {
  it("a flood of input into a busy shell: other learners' terminals and the API go on; destroying the flooder is clean", async () => {
    // Attack: `sleep` (nobody reads the terminal), then far more input than the kernel's tty buffers
    // hold. Before the fix the runner's next write to that PTY blocked its only thread until the
    // sleep ended: no echo for anyone, no API. Waited for, not timed: the sleep outlasts the test.
    const bad = await runner.createSandbox("mallory");
    const flooder = await rawClient(wsUrl, { token: await learner(bad.id, "mallory"), cols: 80, rows: 24 });
    autoAck(flooder);
    await flooder.waitFor("snapshot");
    flooder.send({ type: "input", data: enc.encode("sleep 3600\r") });
    await sleep(500);
    const line = enc.encode("x".repeat(999) + "\r");
    for (let i = 0; i < 300; i++) flooder.send({ type: "input", data: line });

    const other = await runner.createSandbox("bob");
    const bob = await rawClient(wsUrl, { token: await learner(other.id, "bob"), cols: 80, rows: 24 });
    autoAck(bob);
    await bob.waitFor("snapshot");
    bob.send({ type: "input", data: enc.encode("echo still-$((6*7))\r") });
    await bob.waitOutput(/still-42/, 60_000);
    expect((await fetch(`${addrUrl}/healthz`)).status).toBe(200);
    expect((await runner.exec(other.id, "echo checked")).output).toBe("checked\n");

    // Past 1 MiB waiting, input is dropped and the flooder is told so (an ERROR frame, not fatal).
    const big = enc.encode("y".repeat(60_000));
    for (let i = 0; i < 20; i++) flooder.send({ type: "input", data: big });
    expect((await flooder.waitFor("error", (f) => f.error.code === "input-dropped", 60_000)).error.message).toMatch(/not reading/);

    // A big paste into a shell that reads slowly and echoes it all back arrives whole (it waits in
    // the runner, and the learner's acknowledgements of the echo keep flowing meanwhile).
    bob.send({ type: "input", data: enc.encode("cat | tee /tmp/paste > /dev/null\r") });
    await sleep(300);
    const pasteLine = "z".repeat(99) + "\r";
    for (let i = 0; i < 5; i++) bob.send({ type: "input", data: enc.encode(pasteLine.repeat(600)) }); // 300 KB
    bob.send({ type: "input", data: new Uint8Array([4]) }); // Ctrl-D ends cat
    let size = "";
    for (let i = 0; i < 300 && size !== "300000"; i++) {
      await sleep(100);
      size = (await runner.exec(other.id, "wc -c < /tmp/paste 2>/dev/null || echo 0")).output.trim();
    }
    expect(size).toBe("300000");

    // The flooder's input waits (bounded) and its terminal is torn down with its sandbox as usual.
    await runner.destroySandbox(bad.id);
    expect((await flooder.closed).code).toBe(CloseCode.SANDBOX_GONE);
    bob.send({ type: "input", data: enc.encode("echo after-$((6*7))\r") });
    await bob.waitOutput(/after-42/, 60_000);
    bob.ws.close();
    await runner.destroySandbox(other.id);
  });
});

describe("a finished command in a shell that prints no marks (lesson 4's chroot)", () => {
  it("busybox sh in a chroot: each command gives one command-finished; bash's commands are never reported twice", async () => {
    const sb = await runner.createSandbox("alice");
    const c = await rawClient(wsUrl, { token: await learner(sb.id), cols: 80, rows: 24 });
    autoAck(c);
    await c.waitFor("attached");
    await c.waitFor("snapshot");
    const events = () => c.frames.flatMap((f) => (f.type === "event" && f.event.type === "command-finished" ? [f.event] : []));
    const finished = () => events().length;
    const nth = async (k: number) => {
      const end = Date.now() + 20_000;
      while (finished() < k && Date.now() < end) await sleep(20);
      return events()[k - 1];
    };

    // bash: one event per command, from its own mark only (the quiet prompt after it adds none).
    c.send({ type: "input", data: enc.encode("mkdir -p /jail/bin && cp /bin/busybox /jail/bin/ && echo jail-ready\r") });
    await c.waitFor("event", (f) => f.event.type === "command-finished");
    await sleep(1500);
    expect(finished()).toBe(1);

    // The learner's shell inside the jail: busybox sh, no marks. Starting it is bash's command still running.
    c.send({ type: "input", data: enc.encode("chroot /jail /bin/busybox sh\r") });
    // busybox asks where the cursor is after each prompt (ESC[6n); xterm in the page answers, so does this test.
    let asked = 0;
    c.ws.on("message", () => {
      const n = c.output().split("\x1b[6n").length - 1;
      for (; asked < n; asked++) c.send({ type: "input", data: enc.encode("\x1b[1;5R") });
    });
    await c.waitOutput(/\/ # (\x1b\[6n)?$/, 20_000);
    await sleep(500); // as a person would: busybox reads the cursor report and typing ahead of it as one
    const before = finished();
    c.send({ type: "input", data: enc.encode("/bin/busybox touch /made-in-jail\r") });
    expect(await nth(before + 1)).toEqual({ type: "command-finished", exitCode: null });
    expect((await runner.exec(sb.id, "test -e /jail/made-in-jail && echo made")).output).toBe("made\n");
    // Typing without Enter, and a silent command still running, report nothing.
    await sleep(500);
    c.send({ type: "input", data: enc.encode("/bin/busybox sleep 3") });
    await sleep(1000);
    expect(finished()).toBe(before + 1);
    c.send({ type: "input", data: enc.encode("\r") });
    await sleep(1500);
    expect(finished()).toBe(before + 1);
    expect(await nth(before + 2)).toEqual({ type: "command-finished", exitCode: null });
    // Leaving the jail: bash's mark for the chroot command, and nothing more.
    c.send({ type: "input", data: enc.encode("exit\r") });
    expect(await nth(before + 3)).toEqual({ type: "command-finished", exitCode: 0 });
    await sleep(1500);
    expect(finished()).toBe(before + 3);
    c.ws.close();
    await runner.destroySandbox(sb.id);
  });
});

describe("every due Check in one call", () => {
  it("POST /v1/sandboxes/:id/checks answers each result in order; a wrong owner is told the sandbox is not there", async () => {
    const sb = await runner.createSandbox("carol", { shell: false });
    const r = await runner.runChecks(
      sb.id,
      [
        { id: "ex-a", script: "echo a; exit 0", timeoutMs: 5000 },
        { id: "ex-b", script: "echo 'Ainda não.'; exit 1", timeoutMs: 5000 },
      ],
      { owner: "carol" },
    );
    expect(r.results.map((x) => [x.id, x.exitCode, x.output])).toEqual([
      ["ex-a", 0, "a\n"],
      ["ex-b", 1, "Ainda não.\n"],
    ]);
    await expect(runner.runChecks(sb.id, [{ id: "x", script: "true", timeoutMs: 1000 }], { owner: "mallory" })).rejects.toMatchObject({
      status: 404,
    });
    await expect(runner.runChecks(sb.id, [], {})).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/checks/) });
    await runner.destroySandbox(sb.id);
  });
});

describe("Checks through the sandbox's Check agent", () => {
  it("/metrics counts the batches the agent answered and the one runc exec that started it", async () => {
    const metric = async (name: string) => {
      const text = await (await fetch(`${addrUrl}/metrics`)).text();
      return Number(new RegExp(`^${name.replace(/[{}"]/g, "\\$&")} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
    };
    const sb = await runner.createSandbox("dave", { shell: false });
    const [execs, agent, starts] = await Promise.all([
      metric("runner_runc_execs_total"),
      metric('runner_check_batches_total{path="agent"}'),
      metric("runner_check_agents_started_total"),
    ]);
    // Each is there (a missing one would read as NaN, and NaN + 1 is NaN).
    for (const v of [execs, agent, starts]) expect(Number.isInteger(v)).toBe(true);
    for (let i = 0; i < 4; i++) {
      const r = await runner.runChecks(sb.id, [{ id: "n", script: `echo ${i}`, timeoutMs: 5000 }], { owner: "dave" });
      expect(r.results[0]).toMatchObject({ exitCode: 0, output: `${i}\n` });
    }
    expect(await metric("runner_runc_execs_total")).toBe(execs + 1);
    expect(await metric('runner_check_batches_total{path="agent"}')).toBe(agent + 4);
    expect(await metric("runner_check_agents_started_total")).toBe(starts + 1);
    await runner.destroySandbox(sb.id);
  });
});
/** ensure's answer when it served a sandbox (this runner has room: a place in line would be a failure here). */
async function ensured(req: EnsureRequest) {
  const r = await runner.ensure(req);
  if (isQueued(r)) throw new Error(`queued at ${r.queued.position}, expected a sandbox`);
  return r;
}

describe("ensure: the app's one call, idempotent, setup tracked by the runner", () => {
  it("keeps the owner's sandbox, runs each setup step once per script, and makes a fresh one when it is gone", async () => {
    const exercise = { key: "ex-1", script: "echo run >> /root/ex1-runs" };
    const lang = (l: string) => ({ key: "lang", script: `printf '%s\\n' ${l} > /root/lang` });
    const first = await ensured({ owner: "erin", lang: "en", setup: [exercise, lang("en")] });
    expect(first).toMatchObject({ created: true, sandbox: { owner: "erin", state: "running" }, limits: { terminalsPerSandbox: 2 } });
    expect(first.setup.map((s) => [s.key, s.exitCode])).toEqual([
      ["ex-1", 0],
      ["lang", 0],
    ]);
    // The terminal and the checklist ask at once (or two app processes do): one sandbox, no step twice.
    const [a, b] = await Promise.all([
      ensured({ owner: "erin", setup: [exercise, lang("en")] }),
      ensured({ owner: "erin", sandboxId: first.sandbox.id, setup: [exercise, lang("en")] }),
    ]);
    expect([a.sandbox.id, b.sandbox.id]).toEqual([first.sandbox.id, first.sandbox.id]);
    expect([a.created, b.created, a.setup, b.setup]).toEqual([false, false, [], []]);
    // Another language: only the step whose script changed runs again.
    const c = await ensured({ owner: "erin", sandboxId: first.sandbox.id, setup: [exercise, lang("pt-BR")] });
    expect(c.setup.map((s) => s.key)).toEqual(["lang"]);
    const files = await runner.exec(first.sandbox.id, "cat /root/ex1-runs /root/lang");
    expect(files.output).toBe("run\npt-BR\n");
    // A failing step says so and runs again next time.
    const bad = { key: "ex-2", script: "echo not yet >&2; exit 3" };
    expect((await ensured({ owner: "erin", setup: [bad] })).setup).toEqual([{ key: "ex-2", exitCode: 3, output: "not yet\n" }]);
    expect((await ensured({ owner: "erin", setup: [bad] })).setup).toHaveLength(1);
    // Gone (expired, runner restarted): a new sandbox, set up again.
    await runner.destroySandbox(first.sandbox.id);
    const fresh = await ensured({ owner: "erin", sandboxId: first.sandbox.id, setup: [exercise] });
    expect(fresh.created).toBe(true);
    expect(fresh.sandbox.id).not.toBe(first.sandbox.id);
    expect(fresh.setup.map((s) => s.key)).toEqual(["ex-1"]);
    // Reset: destroyed and made anew.
    const reset = await ensured({ owner: "erin", sandboxId: fresh.sandbox.id, fresh: true });
    expect(reset.created).toBe(true);
    expect(await runner.getSandbox(fresh.sandbox.id)).toBeNull();
    await runner.destroySandbox(reset.sandbox.id);
  });
});

describe("drain: no new sandboxes, the ones there live on", () => {
  it("a draining runner refuses new sandboxes (create, ensure, reset) with 503 draining, keeps serving its own, says so on /healthz; the state is a file in its directory", async () => {
    const kept = await ensured({ owner: "dora" });
    expect(await runner.setDraining(true)).toEqual({ draining: true });
    try {
      expect(await runner.health()).toMatchObject({ draining: true });
      expect(fs.existsSync(`${cfg.runnerDir}/draining`)).toBe(true);
      const refused = (p: Promise<unknown>) =>
        p.then(
          () => "accepted",
          (e: { status?: number; code?: string }) => `${e.status} ${e.code}`,
        );
      expect(await refused(runner.createSandbox("newcomer"))).toBe("503 draining");
      expect(await refused(runner.ensure({ owner: "newcomer" }))).toBe("503 draining");
      expect(await refused(runner.ensure({ owner: "dora", sandboxId: kept.sandbox.id, fresh: true }))).toBe("503 draining");
      // Dora's own sandbox: still hers, still answering.
      const again = await ensured({ owner: "dora", sandboxId: kept.sandbox.id });
      expect([again.created, again.sandbox.id]).toEqual([false, kept.sandbox.id]);
      expect((await runner.exec(kept.sandbox.id, "echo still-here")).output).toBe("still-here\n");
      // A bad body says what was wrong.
      const bad = await fetch(`${runner.terminalsUrl.replace(/^ws/, "http").replace(/\/v1\/terminals$/, "")}/v1/drain`, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" })}`,
        },
        body: JSON.stringify({ draining: "yes" }),
      });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/draining/);
    } finally {
      expect(await runner.setDraining(false)).toEqual({ draining: false });
    }
    expect(await runner.health()).toMatchObject({ draining: false });
    const after = await runner.createSandbox("newcomer");
    await runner.destroySandbox(after.id);
    await runner.destroySandbox(kept.sandbox.id);
  });
});

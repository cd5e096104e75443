/**
 * The runner's server end to end over real HTTP and WebSockets, with host bash PTYs standing in
 * for sandboxes (HostShellPort) so the terminal path is tested on its own. The same path against
 * real runc sandboxes is in sandbox.int.test.ts.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import WebSocket from "ws";
import headless from "@xterm/headless";
import { SignJWT } from "jose";
import { HostShellPort } from "./host-port";
import type { SandboxPort } from "./port";
import { createRunnerServer, type RunnerServer } from "./server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { autoAck, rawClient } from "./testing";
import { ClientType, CloseCode, PROTOCOL_VERSION } from "../../../contract/protocol";
import { TerminalClient, type WebSocketLike } from "../../../contract/terminal-client";
import { RunnerClient, RunnerError } from "../../../contract/runner-client";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
let port: HostShellPort;
let server: RunnerServer;
let base: string;
let wsUrl: string;
let runnerDir: string;
let runner: RunnerClient;

const learner = (sid: string, owner = "alice", ttl?: number) =>
  signToken(KEYS.privateKey, { sub: owner, sid, role: "learner" }, { ttlSeconds: ttl });
const observer = (sid: string) => signToken(KEYS.privateKey, { sub: "teacher", sid, role: "observer" });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-int-"));
  port = new HostShellPort(4);
  server = createRunnerServer({
    sandboxes: port,
    publicKey: KEYS.publicKey,
    runnerDir,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
    terminalsPerSandbox: 3,
    recordingMaxBytes: 1024 * 1024,
    authTimeoutMs: 500,
  });
  const addr = await server.listen(0, "127.0.0.1");
  base = addr.url;
  wsUrl = base.replace("http", "ws") + "/v1/terminals";
  runner = new RunnerClient({ baseUrl: base, privateKey: KEYS.privateKey });
});

afterEach(async () => {
  for (const s of port.list()) await port.destroy(s.id);
});

afterAll(async () => {
  await server?.close();
});

describe("terminal streaming", () => {
  it("resize changes `stty size` inside the shell", async () => {
    const sb = await runner.createSandbox("alice");
    const c = await rawClient(wsUrl, { token: await learner(sb.id), cols: 80, rows: 24 });
    autoAck(c);
    const attached = await c.waitFor("attached");
    expect(attached.attached).toMatchObject({ sandbox: sb.id, role: "learner", cols: 80, rows: 24 });
    await c.waitFor("snapshot");
    c.send({ type: "input", data: new TextEncoder().encode("stty size\r") });
    await c.waitOutput(/[\r\n]24 80\r\n/);
    c.send({ type: "resize", cols: 132, rows: 41 });
    await c.waitFor("event", (f) => f.event.type === "resize");
    c.send({ type: "input", data: new TextEncoder().encode("stty size\r") });
    await c.waitOutput(/[\r\n]41 132\r\n/);
    // Shell-integration marks become events.
    c.send({ type: "input", data: new TextEncoder().encode("false\r") });
    await c.waitFor("event", (f) => f.event.type === "command-finished" && f.event.exitCode === 1);
    c.ws.close();
    await runner.destroySandbox(sb.id);
  });

  it("`yes` with a client that never acknowledges: the PTY is paused and runner memory stays flat", async () => {
    const sb = await runner.createSandbox("alice");
    const c = await rawClient(wsUrl, { token: await learner(sb.id) });
    const att = await c.waitFor("attached");
    const term = server.terminals.get(sb.id, att.attached.terminal)!;
    // Everything the runner sent before this has arrived: a resize's event travels in the same queue
    // as the output, behind it.
    let rows = 24;
    const roundTrip = async () => {
      const r = ++rows;
      c.send({ type: "resize", cols: 80, rows: r });
      await c.waitFor("event", (f) => f.event.type === "resize" && f.event.rows === r, 60_000);
    };
    c.send({ type: "input", data: new TextEncoder().encode("yes\r") });
    // Waited for, not timed: past the high-water mark (256 KiB) unacknowledged, this client holds the
    // PTY paused (a pause for the screen mirror alone would pass once it caught up).
    for (let i = 0; i < 1200 && !(c.outputBytes() > 256 * 1024 && term.paused); i++) await sleep(50);
    expect(c.outputBytes()).toBeGreaterThan(256 * 1024);
    expect(term.paused).toBe(true);
    await roundTrip();
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const bytesBefore = c.outputBytes();
    // `yes` goes on trying to write meanwhile; waiting longer only gives a leak more room to show.
    await sleep(2000);
    await roundTrip();
    const rssAfter = process.memoryUsage().rss;
    const received = c.outputBytes();
    console.log(
      `yes: client got ${received} bytes (${received - bytesBefore} while paused); rss ${(rssBefore / 1e6).toFixed(1)} → ${(rssAfter / 1e6).toFixed(1)} MB; pauses ${term.pauseCount}`,
    );
    expect(term.paused).toBe(true);
    expect(term.pauseCount).toBeGreaterThan(0);
    // Never more than the high-water mark (256 KiB) plus one coalesced frame in flight.
    expect(received).toBeLessThan(256 * 1024 + 2 * 64 * 1024);
    expect(received - bytesBefore).toBeLessThan(64 * 1024);
    expect(rssAfter - rssBefore).toBeLessThan(40 * 1024 * 1024);

    // Acknowledging everything lets it flow again.
    autoAck(c);
    c.send({ type: "ack", bytes: received });
    for (let i = 0; i < 1000 && c.outputBytes() <= received + 256 * 1024; i++) await sleep(10);
    expect(c.outputBytes()).toBeGreaterThan(received + 256 * 1024);
    c.send({ type: "input", data: new Uint8Array([3]) }); // Ctrl-C
    c.ws.close();
    await runner.destroySandbox(sb.id);
  });

  it("reconnect restores the screen: `seq` split across a dropped connection appears exactly once", async () => {
    const sb = await runner.createSandbox("alice");
    const xterm = new headless.Terminal({ cols: 80, rows: 24, scrollback: 10_000, allowProposedApi: true });
    let current: WebSocket | null = null;
    let snapshots = 0;
    const finished: (number | null)[] = [];
    const client = new TerminalClient({
      url: wsUrl,
      getToken: () => learner(sb.id),
      cols: 80,
      rows: 24,
      webSocket: (url) => {
        current = new WebSocket(url);
        return current as unknown as WebSocketLike;
      },
      backoff: { initialMs: 50, maxMs: 200, maxAttempts: 10 },
      onOutput: (data, done) => xterm.write(data, done),
      onSnapshot: (data, size) => {
        snapshots++;
        xterm.reset();
        xterm.resize(size.cols, size.rows);
        xterm.write(data);
      },
      onEvent: (e) => e.type === "command-finished" && finished.push(e.exitCode),
    });
    client.connect();
    while (!client.isAttached) await sleep(20);
    await sleep(200); // first prompt
    finished.length = 0;
    client.sendInput("for i in $(seq 1 2000); do echo $i; sleep 0.001; done; echo DONE-$((6*7))\r");
    // Events, not clocks (a loaded machine is slow): drop once the numbers flow past a screenful.
    while (xterm.buffer.active.length <= 24 && !finished.length) await sleep(20);
    const before = xterm.buffer.active.length;
    (current as unknown as WebSocket).terminate(); // abrupt drop, as a network failure
    await sleep(600); // output keeps flowing with nobody attached
    while (!finished.length) await sleep(50); // the loop's end; the test's own timeout bounds the wait
    await new Promise<void>((r) => xterm.write("", r));
    expect(snapshots).toBe(2);
    expect(before).toBeGreaterThan(24); // the drop happened mid-stream
    const lines: string[] = [];
    for (let i = 0; i < xterm.buffer.active.length; i++) lines.push(xterm.buffer.active.getLine(i)!.translateToString(true));
    const numbers = lines.filter((l) => /^\d+$/.test(l)).map(Number);
    expect(numbers).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    expect(lines.filter((l) => l === "DONE-42")).toHaveLength(1);
    // The client's screen equals the runner's mirror.
    const term = server.terminals.get(sb.id, client.terminal!)!;
    const mirror = term
      .screenText()
      .split("\n")
      .filter((l) => /^\d+$/.test(l))
      .map(Number);
    expect(mirror).toEqual(numbers);
    client.close();
    await runner.destroySandbox(sb.id);
  });

  it("observers see output, cannot type (ERROR frame, nothing reaches the shell) and cannot resize", async () => {
    const sb = await runner.createSandbox("alice");
    const l = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(l);
    const att = await l.waitFor("attached");
    const o = await rawClient(wsUrl, { token: await observer(sb.id), terminal: att.attached.terminal, cols: 40, rows: 10 });
    autoAck(o);
    const oat = await o.waitFor("attached");
    expect(oat.attached).toMatchObject({ role: "observer", cols: 80, rows: 24 });
    const marker = path.join(runnerDir, `observer-${Date.now()}`);
    o.send({ type: "input", data: new TextEncoder().encode(`touch ${marker}\r`) });
    const err = await o.waitFor("error");
    expect(err.error.code).toBe("read-only");
    o.send({ type: "resize", cols: 40, rows: 10 });
    l.send({ type: "input", data: new TextEncoder().encode("echo learner-$((1+1)); stty size\r") });
    await o.waitOutput(/learner-2\r\n24 80/);
    await l.waitOutput(/learner-2\r\n24 80/);
    expect(l.output()).not.toContain("touch");
    expect(fs.existsSync(marker)).toBe(false);
    l.ws.close();
    o.ws.close();
    await runner.destroySandbox(sb.id);
  });

  it("CLOSE from the learner ends the Terminal (shell hung up, every client gets EXIT and 1000); an observer's is refused", async () => {
    const sb = await runner.createSandbox("alice");
    const l = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(l);
    const id = (await l.waitFor("attached")).attached.terminal;
    const again = await rawClient(wsUrl, { token: await learner(sb.id), terminal: id });
    autoAck(again);
    await again.waitFor("attached");
    const o = await rawClient(wsUrl, { token: await observer(sb.id), terminal: id });
    autoAck(o);
    await o.waitFor("attached");
    o.send({ type: "close" });
    expect((await o.waitFor("error")).error.code).toBe("read-only");
    expect((await runner.listTerminals(sb.id)).map((t) => t.id)).toEqual([id]);

    l.send({ type: "close" });
    await again.waitFor("exit");
    expect((await l.closed).code).toBe(CloseCode.NORMAL);
    expect((await again.closed).code).toBe(CloseCode.NORMAL);
    expect((await o.closed).code).toBe(CloseCode.NORMAL);
    expect(await runner.listTerminals(sb.id)).toEqual([]);
    // Its slot is free again: reattaching to it is refused, a new one opens.
    const gone = await rawClient(wsUrl, { token: await learner(sb.id), terminal: id });
    expect((await gone.closed).code).toBe(CloseCode.TERMINAL_NOT_FOUND);
    await runner.destroySandbox(sb.id);
  });

  it("a socket that goes away while its new Terminal's shell starts leaves no Terminal behind", async () => {
    const sb = await runner.createSandbox("alice");
    const ported: SandboxPort = port; // its spawnTerminal may answer later, as real sandboxes' do
    const spawn = port.spawnTerminal.bind(port);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const starting = new Promise<void>((r) => (started = r));
    let exited!: () => void;
    const shellExited = new Promise<void>((r) => (exited = r));
    ported.spawnTerminal = async (id, o) => {
      started();
      await gate;
      const pty = await spawn(id, o);
      pty.onExit(() => exited());
      return pty;
    };
    try {
      const c = await rawClient(wsUrl, { token: await learner(sb.id) });
      await starting;
      c.ws.close();
      await c.closed;
      release();
      await shellExited; // its shell was started, then hung up
      expect(await runner.listTerminals(sb.id)).toEqual([]);
    } finally {
      port.spawnTerminal = spawn;
      release();
    }
    // The slot is free: a new Terminal opens and works.
    const again = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(again);
    await again.waitFor("attached");
    again.send({ type: "input", data: new TextEncoder().encode("echo fresh-$((4*4))\r") });
    await again.waitOutput(/fresh-16/);
    again.ws.close();
    await runner.destroySandbox(sb.id);
  });

  it("programs keep running with nobody attached, and a late attach gets the screen", async () => {
    const sb = await runner.createSandbox("alice");
    const a = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(a);
    const att = await a.waitFor("attached");
    a.send({ type: "input", data: new TextEncoder().encode("sleep 0.5; echo AFTER-$((2*21))\r") });
    await sleep(100);
    a.ws.close();
    await sleep(1200);
    const b = await rawClient(wsUrl, { token: await learner(sb.id), terminal: att.attached.terminal });
    const snap = await b.waitFor("snapshot");
    expect(snap.data).toContain("AFTER-42");
    b.ws.close();
    await runner.destroySandbox(sb.id);
  });
});

describe("bad clients get a clear close code and affect no other terminal", () => {
  it("malformed, oversized, unknown, text frames, wrong first frame, auth timeout, bad tokens", async () => {
    const sb = await runner.createSandbox("alice");
    const other = await runner.createSandbox("bob");
    // A healthy terminal in another sandbox that must keep working throughout.
    const healthy = await rawClient(wsUrl, { token: await learner(other.id, "bob") });
    autoAck(healthy);
    await healthy.waitFor("attached");
    // And a healthy one in the same sandbox.
    const sibling = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(sibling);
    const sib = (await sibling.waitFor("attached")).attached.terminal;

    const tok = await learner(sb.id);
    const cases: [string, () => Promise<{ code: number }>, number][] = [
      [
        "unknown type",
        async () => {
          const c = await rawClient(wsUrl, { token: tok, terminal: sib });
          await c.waitFor("attached");
          c.sendRaw(new Uint8Array([0x7f, 1, 2]));
          return c.closed;
        },
        CloseCode.MALFORMED_FRAME,
      ],
      [
        "truncated resize",
        async () => {
          const c = await rawClient(wsUrl, { token: tok, terminal: sib });
          await c.waitFor("attached");
          c.sendRaw(new Uint8Array([ClientType.RESIZE, 0, 80]));
          return c.closed;
        },
        CloseCode.MALFORMED_FRAME,
      ],
      [
        "oversized input",
        async () => {
          const c = await rawClient(wsUrl, { token: tok, terminal: sib });
          await c.waitFor("attached");
          const big = new Uint8Array(200_000).fill(0x61);
          big[0] = ClientType.INPUT;
          c.sendRaw(big);
          return c.closed;
        },
        CloseCode.FRAME_TOO_LARGE,
      ],
      [
        "text frame",
        async () => {
          const c = await rawClient(wsUrl);
          c.sendRaw("hello", false);
          return c.closed;
        },
        CloseCode.MALFORMED_FRAME,
      ],
      [
        "input before hello",
        async () => {
          const c = await rawClient(wsUrl);
          c.send({ type: "input", data: new Uint8Array([0x6c]) });
          return c.closed;
        },
        CloseCode.MALFORMED_FRAME,
      ],
      [
        "hello with garbage JSON",
        async () => {
          const c = await rawClient(wsUrl);
          c.sendRaw(new Uint8Array([ClientType.HELLO, 0x7b, 0x7b]));
          return c.closed;
        },
        CloseCode.MALFORMED_FRAME,
      ],
      ["auth timeout", async () => (await rawClient(wsUrl)).closed, CloseCode.AUTH_TIMEOUT],
      [
        "forged token",
        async () =>
          (
            await rawClient(wsUrl, {
              token: await signToken(generateSigningKeys().privateKey, { sub: "alice", sid: sb.id, role: "learner" }),
            })
          ).closed,
        CloseCode.BAD_TOKEN,
      ],
      ["garbage token", async () => (await rawClient(wsUrl, { token: "abc.def.ghi" })).closed, CloseCode.BAD_TOKEN],
      [
        "expired token",
        async () =>
          (
            await rawClient(wsUrl, {
              token: await signToken(
                KEYS.privateKey,
                { sub: "alice", sid: sb.id, role: "learner" },
                { ttlSeconds: 1, now: Date.now() - 60_000 },
              ),
            })
          ).closed,
        CloseCode.TOKEN_EXPIRED,
      ],
      [
        "alg none",
        async () => {
          const none =
            Buffer.from('{"alg":"none"}').toString("base64url") +
            "." +
            Buffer.from(
              JSON.stringify({ sub: "alice", sid: sb.id, role: "learner", exp: 9e9, aud: "sandbox-runner", iss: "aprendendo-docker" }),
            ).toString("base64url") +
            ".";
          return (await rawClient(wsUrl, { token: none })).closed;
        },
        CloseCode.BAD_TOKEN,
      ],
      [
        "someone else's sandbox",
        async () => (await rawClient(wsUrl, { token: await learner(sb.id, "mallory") })).closed,
        CloseCode.FORBIDDEN,
      ],
      [
        "app token on a terminal",
        async () => (await rawClient(wsUrl, { token: await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" }) })).closed,
        CloseCode.FORBIDDEN,
      ],
      [
        "unknown terminal",
        async () => (await rawClient(wsUrl, { token: tok, terminal: "t-000000000000" })).closed,
        CloseCode.TERMINAL_NOT_FOUND,
      ],
      ["sandbox gone", async () => (await rawClient(wsUrl, { token: await learner("sb-nope") })).closed, CloseCode.SANDBOX_GONE],
      [
        "wrong audience",
        async () => {
          const t = await new SignJWT({ sid: sb.id, role: "learner" })
            .setProtectedHeader({ alg: "HS256" })
            .setSubject("alice")
            .setAudience("elsewhere")
            .setIssuer("aprendendo-docker")
            .setExpirationTime("1m")
            .sign(new TextEncoder().encode(KEYS.publicKey));
          return (await rawClient(wsUrl, { token: t })).closed;
        },
        CloseCode.BAD_TOKEN,
      ],
    ];
    for (const [name, run, code] of cases) {
      const closed = await run();
      expect({ name, code: closed.code }).toEqual({ name, code });
    }
    // Three terminals per sandbox: the sibling plus two more, then 4005.
    const extra: Awaited<ReturnType<typeof rawClient>>[] = [];
    let limitHit = 0;
    for (let i = 0; i < 4; i++) {
      const c = await rawClient(wsUrl, { token: tok });
      const r = await Promise.race([
        c.waitFor("attached").then(
          () => "ok",
          () => "closed",
        ),
        c.closed.then((x) => x.code),
      ]);
      if (r === CloseCode.TOO_MANY_TERMINALS) limitHit++;
      else extra.push(c);
    }
    expect(limitHit).toBeGreaterThan(0);
    expect(server.terminals.list(sb.id).length).toBe(3);

    for (const c of [healthy, sibling]) {
      c.send({ type: "input", data: new TextEncoder().encode("echo still-$((20+1))\r") });
      await c.waitOutput(/still-21/);
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
    }
    const closes = await (await fetch(`${base}/metrics`)).text();
    expect(closes).toMatch(/runner_ws_closes_total\{code="4400"\} [1-9]/);
    for (const c of [healthy, sibling, ...extra]) c.ws.close();

    // Destroying a sandbox closes its terminals with 4004.
    const d = await rawClient(wsUrl, { token: await learner(other.id, "bob") });
    await d.waitFor("attached");
    await runner.destroySandbox(other.id);
    expect((await d.closed).code).toBe(CloseCode.SANDBOX_GONE);
    await runner.destroySandbox(sb.id);
  });

  it("a shell that exits sends EXIT and closes normally", async () => {
    const sb = await runner.createSandbox("alice");
    const c = await rawClient(wsUrl, { token: await learner(sb.id) });
    autoAck(c);
    await c.waitFor("attached");
    c.send({ type: "input", data: new TextEncoder().encode("exit 7\r") });
    const ex = await c.waitFor("exit");
    expect(ex.exitCode).toBe(7);
    expect((await c.closed).code).toBe(CloseCode.NORMAL);
    await runner.destroySandbox(sb.id);
  });
});

describe("HTTP API", () => {
  it("sandboxes, exec, terminals, recordings with an app token", async () => {
    const health = await runner.health();
    expect(health.ok).toBe(true);
    const sb = await runner.createSandbox("carol");
    expect(await runner.getSandbox(sb.id)).toMatchObject({ id: sb.id, owner: "carol", state: "running" });
    expect((await runner.listSandboxes()).map((s) => s.id)).toContain(sb.id);
    const r = await runner.exec(sb.id, "echo hi; exit 3");
    expect(r).toMatchObject({ exitCode: 3, output: "hi\n", timedOut: false });

    const c = await rawClient(wsUrl, { token: await learner(sb.id, "carol"), cols: 90, rows: 20 });
    autoAck(c);
    const att = await c.waitFor("attached");
    c.send({ type: "resize", cols: 100, rows: 30 });
    c.send({ type: "input", data: new TextEncoder().encode("echo recorded-$((3*3))\r") });
    await c.waitOutput(/recorded-9/);
    expect(await runner.listTerminals(sb.id)).toEqual([
      expect.objectContaining({ id: att.attached.terminal, cols: 100, rows: 30, clients: 1 }),
    ]);
    c.send({ type: "input", data: new TextEncoder().encode("exit\r") });
    await c.closed;
    await sleep(100);
    const cast = await runner.recording(sb.id, att.attached.terminal);
    const lines = cast!
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ version: 2, width: 90, height: 20 });
    expect(
      lines
        .slice(1)
        .every(
          (e: unknown[]) =>
            Array.isArray(e) && typeof e[0] === "number" && ["o", "r", "m"].includes(e[1] as string) && typeof e[2] === "string",
        ),
    ).toBe(true);
    expect(lines.some((e: unknown[]) => e[1] === "r" && e[2] === "100x30")).toBe(true);
    expect(
      lines
        .filter((e: unknown[]) => e[1] === "o")
        .map((e: unknown[]) => e[2])
        .join(""),
    ).toContain("recorded-9");
    expect(lines.some((e: unknown[]) => e[1] === "i")).toBe(false);
    expect(await runner.recording(sb.id, "t-ffffffffffff")).toBeNull();
    await runner.destroySandbox(sb.id);
    expect(await runner.getSandbox(sb.id)).toBeNull();
  });

  it("refuses missing, wrong-role and bad tokens, bad bodies, path traversal; 503 when full", async () => {
    expect((await fetch(`${base}/v1/sandboxes`)).status).toBe(401);
    const lt = await learner("x");
    expect((await fetch(`${base}/v1/sandboxes`, { headers: { authorization: `Bearer ${lt}` } })).status).toBe(403);
    expect((await fetch(`${base}/v1/sandboxes`, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const app = `Bearer ${await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" })}`;
    const bad = await fetch(`${base}/v1/sandboxes`, {
      method: "POST",
      headers: { authorization: app, "content-type": "application/json" },
      body: JSON.stringify({ owner: 5 }),
    });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/owner/);
    const badJson = await fetch(`${base}/v1/sandboxes`, {
      method: "POST",
      headers: { authorization: app, "content-type": "application/json" },
      body: "{",
    });
    expect(badJson.status).toBe(400);
    for (const p of ["/v1/recordings/..%2F..%2Fetc/passwd", "/v1/recordings/sb/..%2Fsecret", "/v1/recordings/a/t-..%2F..%2Fx"]) {
      const r = await fetch(base + p, { headers: { authorization: app } });
      expect([400, 404]).toContain(r.status);
      expect(await r.text()).not.toContain("root:");
    }
    const made = [];
    try {
      for (let i = 0; i < 4; i++) made.push(await runner.createSandbox(`u${i}`));
      await runner.createSandbox("one-too-many");
      expect.unreachable("capacity should be reached");
    } catch (e) {
      expect(e).toBeInstanceOf(RunnerError);
      expect(e).toMatchObject({ status: 503, code: "busy", retryAfter: 30 });
    }
    for (const s of made) await runner.destroySandbox(s.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const m of [
      "runner_sandboxes_running",
      "runner_terminals_open",
      "runner_terminal_output_bytes_total",
      "runner_exec_duration_seconds_bucket",
    ])
      expect(metrics).toContain(m);
  });
});

void PROTOCOL_VERSION;

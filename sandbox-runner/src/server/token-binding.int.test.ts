/**
 * What server.int.test.ts does not cover about terminal tokens: a token is bound to its sandbox
 * (it cannot reach a Terminal of another sandbox, even one of the same learner), and replaying a
 * token does not outlive what it was for (sandbox destroyed → 4004, expired → 4002 even for a
 * Terminal it attached to before). Real server, real sockets, host shells for sandboxes.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import pino from "pino";
import { HostShellPort } from "./host-port";
import { createRunnerServer, type RunnerServer } from "./server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { rawClient } from "./testing";
import { CloseCode } from "../../../contract/protocol";
import { RunnerClient } from "../../../contract/runner-client";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
let server: RunnerServer;
let wsUrl: string;
let runner: RunnerClient;
let runnerDir: string;

beforeAll(async () => {
  runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-bind-"));
  server = createRunnerServer({
    sandboxes: new HostShellPort(4),
    publicKey: KEYS.publicKey,
    runnerDir,
    log: pino({ level: "silent" }),
    terminalsPerSandbox: 3,
    recordingMaxBytes: 1 << 20,
    authTimeoutMs: 1000,
  });
  const addr = await server.listen(0, "127.0.0.1");
  wsUrl = addr.url.replace("http", "ws") + "/v1/terminals";
  runner = new RunnerClient({ baseUrl: addr.url, privateKey: KEYS.privateKey });
}, 20_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(runnerDir, { recursive: true, force: true });
}, 20_000);

const learner = (sid: string, sub = "alice", o: { ttlSeconds?: number; now?: number } = {}) =>
  signToken(KEYS.privateKey, { sub, sid, role: "learner" }, o);

it("a token for sandbox A cannot attach to a Terminal of sandbox B, even of the same learner", async () => {
  const a = await runner.createSandbox("alice");
  const b = await runner.createSandbox("alice");
  const inB = await rawClient(wsUrl, { token: await learner(b.id) });
  const attached = await inB.waitFor("attached");
  const tB = attached.attached.terminal;

  const cross = await rawClient(wsUrl, { token: await learner(a.id), terminal: tB });
  expect((await cross.closed).code).toBe(CloseCode.TERMINAL_NOT_FOUND);
  // Mallory's token for her own sandbox, pointed at Alice's Terminal: refused as well.
  const m = await runner.createSandbox("mallory");
  const mallory = await rawClient(wsUrl, { token: await learner(m.id, "mallory"), terminal: tB });
  expect((await mallory.closed).code).toBe(CloseCode.TERMINAL_NOT_FOUND);
  // And with B's sid but her own name: forbidden.
  const forged = await rawClient(wsUrl, { token: await learner(b.id, "mallory"), terminal: tB });
  expect((await forged.closed).code).toBe(CloseCode.FORBIDDEN);
  // B's Terminal never saw any of them.
  expect(server.terminals.get(b.id, tB)!.clientCount).toBe(1);
  inB.ws.close();
  for (const s of [a, b, m]) await runner.destroySandbox(s.id);
}, 20_000);

it("replayed tokens: reused after the sandbox is gone → 4004; an expired one → 4002 even for a Terminal it opened", async () => {
  const sb = await runner.createSandbox("alice");
  const token = await learner(sb.id);
  const first = await rawClient(wsUrl, { token });
  const t = (await first.waitFor("attached")).attached.terminal;
  first.ws.close();
  // Within its minute the same token may reattach (that is how a dropped socket reconnects)...
  const again = await rawClient(wsUrl, { token, terminal: t });
  await again.waitFor("attached");
  again.ws.close();
  // ...but not once it has expired,
  const stale = await learner(sb.id, "alice", { ttlSeconds: 1, now: Date.now() - 120_000 });
  expect((await (await rawClient(wsUrl, { token: stale, terminal: t })).closed).code).toBe(CloseCode.TOKEN_EXPIRED);
  // ...nor after the sandbox was destroyed.
  await runner.destroySandbox(sb.id);
  expect((await (await rawClient(wsUrl, { token, terminal: t })).closed).code).toBe(CloseCode.SANDBOX_GONE);
}, 20_000);

it("a token made for one runner is refused by another, and no key but the app's signs one", async () => {
  // A second runner, named, holding the same public key of the app (as every runner of a fleet does).
  const dirB = fs.mkdtempSync(path.join(os.tmpdir(), "runner-bind-b-"));
  const b = createRunnerServer({
    sandboxes: new HostShellPort(2),
    publicKey: KEYS.publicKey,
    runnerName: "runner-b",
    runnerDir: dirB,
    log: pino({ level: "silent" }),
    terminalsPerSandbox: 2,
    recordingMaxBytes: 1 << 20,
  });
  try {
    const addr = await b.listen(0, "127.0.0.1");
    const wsB = addr.url.replace("http", "ws") + "/v1/terminals";
    // The app's client for the first runner ("local"): its tokens do not open runner B's API.
    const forA = new RunnerClient({ baseUrl: addr.url, privateKey: KEYS.privateKey });
    await expect(forA.createSandbox("alice")).rejects.toMatchObject({ status: 401, code: "unauthorized" });
    const forB = new RunnerClient({ baseUrl: addr.url, privateKey: KEYS.privateKey, runner: "runner-b" });
    const sb = await forB.createSandbox("alice");
    // Nor its terminals: a learner token for runner A, on runner B's socket, with the right sandbox.
    const wrongRunner = await rawClient(wsB, { token: await learner(sb.id) });
    expect((await wrongRunner.closed).code).toBe(CloseCode.BAD_TOKEN);
    // A runner's own key (it has one for TLS, say) cannot sign a token another runner accepts.
    const runnersKey = generateSigningKeys();
    const forged = await signToken(runnersKey.privateKey, { sub: "alice", sid: sb.id, role: "learner" }, { runner: "runner-b" });
    expect((await (await rawClient(wsB, { token: forged })).closed).code).toBe(CloseCode.BAD_TOKEN);
    const forgedApp = new RunnerClient({ baseUrl: addr.url, privateKey: runnersKey.privateKey, runner: "runner-b" });
    await expect(forgedApp.listSandboxes()).rejects.toMatchObject({ status: 401 });
    // Control: the app's token for runner B attaches.
    const right = await rawClient(wsB, {
      token: await signToken(KEYS.privateKey, { sub: "alice", sid: sb.id, role: "learner" }, { runner: "runner-b" }),
    });
    await right.waitFor("attached");
    right.ws.close();
  } finally {
    await b.close();
    fs.rmSync(dirB, { recursive: true, force: true });
  }
}, 60_000);

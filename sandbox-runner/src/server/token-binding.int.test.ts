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
import { signToken } from "../../../contract/token";
import { rawClient } from "./testing";
import { CloseCode } from "../../../contract/protocol";
import { RunnerClient } from "../../../contract/runner-client";

const SECRET = "binding-secret-0123456789abcdef";
let server: RunnerServer;
let wsUrl: string;
let runner: RunnerClient;
let runnerDir: string;

beforeAll(async () => {
  runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "runner-bind-"));
  server = createRunnerServer({
    sandboxes: new HostShellPort(4),
    secret: SECRET,
    runnerDir,
    log: pino({ level: "silent" }),
    terminalsPerSandbox: 3,
    recordingMaxBytes: 1 << 20,
    authTimeoutMs: 1000,
  });
  const addr = await server.listen(0, "127.0.0.1");
  wsUrl = addr.url.replace("http", "ws") + "/v1/terminals";
  runner = new RunnerClient({ baseUrl: addr.url, secret: SECRET });
}, 20_000);

afterAll(async () => {
  await server?.close();
  fs.rmSync(runnerDir, { recursive: true, force: true });
}, 20_000);

const learner = (sid: string, sub = "alice", o: { ttlSeconds?: number; now?: number } = {}) =>
  signToken(SECRET, { sub, sid, role: "learner" }, o);

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

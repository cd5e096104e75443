/**
 * Fault: the real runner process (`tsx sandbox-runner/src/main.ts`) is SIGKILLed in the middle of
 * learners' sessions (a Check running, a shell open). Started again, it must remove every orphan
 * (containers, processes, mounts, cgroups, dirs), answer the old sandbox ids with a clear 404 and
 * accept new sandboxes, within seconds.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATA_DIR, testConfig, testImage } from "../../test/image-fixture";
import { leftovers, NOTHING_LEFT } from "../../test/leftovers";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { rawClient } from "../server/testing";
import { CloseCode } from "../../../contract/protocol";
import { freePort, sleep } from "./harness";

/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();
const DATA_DIR = TEST_DATA_DIR + "-fault";
const cfg = testConfig({ DATA_DIR });
const env = {
  ...process.env,
  DATA_DIR,
  APP_PUBLIC_KEY: KEYS.publicKey,
  RUNNER_HOST: "127.0.0.1",
  SANDBOX_MEMORY_MB: "64",
  SANDBOX_PIDS: "64",
  SANDBOX_DISK_MB: "16",
  // No warm pool: the test counts exactly the learners' containers.
  SANDBOX_POOL_SIZE: "0",
  LOG_LEVEL: "warn",
};
let port: number;
let base: string;
let app: string;
const running: ChildProcess[] = [];

/** Starts main.ts and resolves once /healthz answers, with how long that took. */
async function startRunner(): Promise<{ child: ChildProcess; ms: number }> {
  const t = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "sandbox-runner/src/main.ts")], {
    env: { ...env, RUNNER_PORT: String(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.push(child);
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  for (;;) {
    if (!alive(child)) throw new Error(`runner exited (${child.exitCode}) before answering: ${stderr}`);
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { child, ms: Date.now() - t };
    if (Date.now() - t > 90_000) throw new Error(`runner did not answer /healthz within 90 s: ${stderr}`);
    await sleep(100);
  }
}

const api = (method: string, p: string, body?: unknown) =>
  fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${app}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await sleep(100);
  }
}

beforeAll(async () => {
  // The runner builds or finds the Image under DATA_DIR/runner/image: share the test Image.
  const image = testConfig().runnerDir + "/image";
  await testImage(testConfig());
  fs.mkdirSync(cfg.runnerDir, { recursive: true });
  const link = path.join(cfg.runnerDir, "image");
  if (!fs.existsSync(link)) fs.symlinkSync(image, link);
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  app = await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" }, { ttlSeconds: 600 });
});

/** A child killed by a signal has exitCode null: look at both. */
const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

afterAll(async () => {
  const left = running.filter(alive);
  for (const c of left) c.kill("SIGTERM");
  await Promise.all(left.map((c) => new Promise((r) => c.on("exit", r))));
});

describe("a runner killed mid-session", () => {
  it("restarts clean: no orphan, old ids answer 404, new sandboxes work", async () => {
    const first = await startRunner();
    console.info(`runner up in ${first.ms} ms`);
    const ids: string[] = [];
    for (const owner of ["alice", "bob"]) {
      const r = await api("POST", "/v1/sandboxes", { owner });
      expect(r.status).toBe(201);
      ids.push(((await r.json()) as { id: string }).id);
    }
    // Mid-session: a Check still running in one sandbox, a shell with a command in the other.
    const pendingExec = api("POST", `/v1/sandboxes/${ids[0]}/exec`, { script: "sleep 1000", timeoutMs: 600_000 }).catch((e: unknown) => e);
    const term = await rawClient(base.replace("http", "ws") + "/v1/terminals", {
      token: await signToken(KEYS.privateKey, { sub: "bob", sid: ids[1]!, role: "learner" }),
    });
    await term.waitFor("attached");
    term.send({ type: "input", data: new TextEncoder().encode("sleep 1000\r") });
    await sleep(500);
    const before = await leftovers(cfg);
    expect(before.containers.sort()).toEqual([...ids].sort());
    expect(before.processes.length).toBeGreaterThanOrEqual(4);

    first.child.kill("SIGKILL");
    await new Promise((r) => first.child.on("exit", r));
    expect(await pendingExec).toBeInstanceOf(Error); // the connection died with the runner
    expect((await term.closed).code).toBe(1006); // abnormal closure: nobody said goodbye
    // The sandboxes outlive their runner (detached containers) until the next start cleans them.
    expect((await leftovers(cfg)).containers.sort()).toEqual([...ids].sort());

    const t0 = Date.now();
    const second = await startRunner();
    const left = await eventually(
      () => leftovers(cfg),
      (l) => l.processes.length === 0,
      5000,
    );
    const cleanMs = Date.now() - t0;
    console.info(`restarted runner answered in ${second.ms} ms; nothing left ${cleanMs} ms after the restart began`);
    expect(left).toEqual(NOTHING_LEFT);

    for (const id of ids) {
      const r = await api("GET", `/v1/sandboxes/${id}`);
      expect(r.status).toBe(404);
      expect(await r.json()).toEqual({ error: "not-found", message: `no sandbox with id ${id}: it may have expired; create a new one` });
      expect((await api("POST", `/v1/sandboxes/${id}/exec`, { script: "true" })).status).toBe(404);
    }
    // A learner's browser reconnecting with its old token is told the sandbox is gone.
    const again = await rawClient(base.replace("http", "ws") + "/v1/terminals", {
      token: await signToken(KEYS.privateKey, { sub: "bob", sid: ids[1]!, role: "learner" }),
    });
    expect((await again.closed).code).toBe(CloseCode.SANDBOX_GONE);

    const created = await api("POST", "/v1/sandboxes", { owner: "alice" });
    expect(created.status).toBe(201);
    const fresh = (await created.json()) as { id: string };
    const r = await api("POST", `/v1/sandboxes/${fresh.id}/exec`, { script: "echo fresh-$((6*7))" });
    expect(await r.json()).toMatchObject({ exitCode: 0, output: "fresh-42\n" });

    // A clean stop (SIGTERM) destroys what it owns.
    second.child.kill("SIGTERM");
    expect(await new Promise((res) => second.child.on("exit", res))).toBe(0);
    expect(await leftovers(cfg)).toEqual(NOTHING_LEFT);
  });
});

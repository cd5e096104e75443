/**
 * The app's fleet code against three real runners, each on a simulated host (its own network
 * namespace, DATA_DIR and uid range: ./harness.ts), with a real SQLite database: new sandboxes
 * spread over the runners; a learner's terminal, checks, recording (replay) and an instructor's
 * live view (shadowing) work on each; a runner killed with SIGKILL leaves its learners a clear
 * "moved" and a working sandbox on another runner, with nothing recorded lost; a drained runner
 * gets no new sandbox while its learners keep theirs.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunnerClient } from "../../contract/runner-client";
import { generateSigningKeys, signToken } from "../../contract/token";
import { autoAck, rawClient, type RawClient } from "../../sandbox-runner/src/server/testing";
import { parseRunners, type RunnerEndpoint } from "../../app/_lib/fleet/config";
import { ensureOnFleet, type Ensured } from "../../app/_lib/fleet/ensure";
import { RunnerRegistry } from "../../app/_lib/fleet/registry";
import { runnerApiFor, toProblem } from "../../app/_lib/runner";
import * as records from "../../app/_lib/dal/records";
import { ownsSandboxAs } from "../../app/_lib/dal/claim";
import { migratedDb } from "../../app/_lib/dal/test-db";
import type { Db } from "../../app/_lib/db";
import type { Viewer } from "../../app/_lib/dal/rules";
import { startFleet, type Fleet } from "./harness";

// The app's key pair: every runner gets the public half; tokens name the runner they are for.
const KEYS = generateSigningKeys();
let fleet: Fleet | undefined;
let db: Db;
let dbDir: string;
let registry: RunnerRegistry;
const sockets: RawClient[] = [];

const viewer = (userId: string): Viewer => ({ userId, kind: "account", role: "learner" });
const api = (r: RunnerEndpoint) => runnerApiFor(new RunnerClient({ baseUrl: r.url, privateKey: KEYS.privateKey, runner: r.name }));

/** What the lesson page's server action does for one learner (app/_lib/actions/sandbox.ts). */
async function ensure(userId: string, opts: { fresh?: boolean } = {}): Promise<Ensured> {
  const v = viewer(userId);
  return ensureOnFleet(
    {
      registry,
      api,
      isDown: (e) => toProblem(e).code === "runner-down",
      ownsAs: (owner) => ownsSandboxAs(db, owner, userId),
      endSession: (sid, reason) => records.endSandboxSession(db, v, sid, reason),
      startSession: async (sid, runner) => {
        await records.startSandboxSession(db, v, { sandboxId: sid, lessonId: "fleet", runner });
      },
      beforeCreate: async () => {},
      legacyRunner: "a",
    },
    { owner: userId, lang: "en", fresh: opts.fresh, open: await records.findOpenSandboxSession(db, v) },
  );
}

async function terminal(e: Ensured, role: "learner" | "observer", sub: string, terminalId?: string): Promise<RawClient> {
  const token = await signToken(KEYS.privateKey, { sub, sid: e.sandboxId, role }, { runner: e.runner.name });
  const c = await rawClient(`${e.runner.publicUrl}/v1/terminals`, { token, ...(terminalId ? { terminal: terminalId } : {}) });
  autoAck(c);
  sockets.push(c);
  return c;
}

const typeLine = (c: RawClient, line: string) => c.send({ type: "input", data: new TextEncoder().encode(line + "\r") });

beforeAll(async () => {
  fleet = await startFleet({ publicKey: KEYS.publicKey, env: { SANDBOX_CAPACITY: "8" } });
  ({ db, dir: dbDir } = migratedDb("fleet-int-"));
  const list = fleet.hosts.map((h) => `${h.name}=${h.url}|${h.wsUrl}`).join(",");
  registry = new RunnerRegistry(parseRunners({ RUNNERS: list }, { name: "local", url: "http://127.0.0.1:1" }), { staleMs: 500 });
  await registry.refresh();
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await fleet?.stop();
  await db?.$disconnect();
  if (dbDir) fs.rmSync(dbDir, { recursive: true, force: true });
});

const learners = ["ana", "bia", "caio", "davi", "eva", "fabio"];
const placed = new Map<string, Ensured>();

describe("one app, three runner hosts", () => {
  it("spreads new sandboxes over the runners and records each one's runner", async () => {
    for (const l of learners) placed.set(l, await ensure(l));
    const per = new Map<string, number>();
    for (const e of placed.values()) per.set(e.runner.name, (per.get(e.runner.name) ?? 0) + 1);
    expect(Object.fromEntries(per)).toEqual({ a: 2, b: 2, c: 2 });
    for (const [l, e] of placed) {
      const row = await db.sandboxSession.findUnique({ where: { sandboxId: e.sandboxId } });
      expect(row).toMatchObject({ userId: l, runner: e.runner.name, endedAt: null });
      // Each sandbox really lives on that runner, and on no other.
      for (const h of fleet!.hosts) {
        const there = await api({ name: h.name, url: h.url }).getSandbox(e.sandboxId);
        expect(there !== null, `${e.sandboxId} on ${h.name}`).toBe(h.name === e.runner.name);
      }
    }
    // Asked again, each learner gets the same sandbox back: every later call goes to its runner.
    for (const [l, e] of placed) expect((await ensure(l)).sandboxId).toBe(e.sandboxId);
  });

  it("on every runner: terminal, check, recording for replay, and an instructor's live view", async () => {
    for (const host of ["a", "b", "c"]) {
      const [learner, e] = [...placed].find(([, x]) => x.runner.name === host)!;
      const term = await terminal(e, "learner", learner);
      const attached = await term.waitFor("attached", undefined, 30_000);
      typeLine(term, `echo fleet-${host} > /tmp/mark; echo typed-on-$((40+2))-${host}`);
      await term.waitOutput(new RegExp(`typed-on-42-${host}`), 30_000);

      // A Check runs on the learner's runner and is recorded in the database.
      const check = await api(e.runner).exec(e.sandboxId, `grep -qx fleet-${host} /tmp/mark`, { timeoutMs: 20_000 });
      expect(check.exitCode).toBe(0);
      await records.recordExerciseAttempt(db, viewer(learner), {
        lessonId: "fleet",
        exerciseId: "mark",
        passed: true,
        message: "",
        durationMs: check.durationMs,
        trigger: "manual",
        sandboxId: e.sandboxId,
      });

      // Shadowing: an observer on the same runner sees the learner's screen.
      const watcher = await terminal(e, "observer", "teacher", attached.attached.terminal);
      const seen = await watcher.waitFor("attached", undefined, 30_000);
      expect(seen.attached.role).toBe("observer");
      typeLine(term, `echo watched-$((6*7))-${host}`);
      await watcher.waitOutput(new RegExp(`watched-42-${host}`), 30_000);

      // Replay: the runner holding the sandbox lists and serves its recording.
      const client = new RunnerClient({ baseUrl: e.runner.url, privateKey: KEYS.privateKey, runner: e.runner.name });
      await expect
        .poll(async () => (await client.recording(e.sandboxId, attached.attached.terminal)) ?? "", { timeout: 30_000 })
        .toContain(`typed-on-42-${host}`);
      expect((await client.listRecordings(e.sandboxId)).map((r) => r.terminalId)).toContain(attached.attached.terminal);
    }
  });

  it("a runner killed with SIGKILL: its learners get a clear notice and a working sandbox elsewhere; nothing recorded is lost", async () => {
    const b = fleet!.host("b");
    const onB = [...placed].filter(([, e]) => e.runner.name === "b");
    const castsBefore = onB.map(([, e]) => path.join(b.cfg.runnerDir, "recordings", e.sandboxId));
    const attemptsBefore = await db.exerciseAttempt.count();
    await b.kill();

    for (const [learner, old] of onB) {
      const e = await ensure(learner);
      expect(e.notice).toBe("moved");
      expect(e.runner.name).not.toBe("b");
      expect(e.sandboxId).not.toBe(old.sandboxId);
      const r = await api(e.runner).exec(e.sandboxId, "echo alive", { timeoutMs: 20_000 });
      expect(r).toMatchObject({ exitCode: 0, output: "alive\n" });
      const ended = await db.sandboxSession.findUnique({ where: { sandboxId: old.sandboxId } });
      expect(ended).toMatchObject({ endReason: "runner-lost", runner: "b" });
      expect(ended!.endedAt).not.toBeNull();
      placed.set(learner, e);
    }
    // Progress is in the database, recordings on the dead host's disk: both still there.
    expect(await db.exerciseAttempt.count()).toBe(attemptsBefore);
    const sessionsWithB = castsBefore.filter((d) => fs.existsSync(d) && fs.readdirSync(d).some((f) => f.endsWith(".cast")));
    expect(sessionsWithB.length).toBeGreaterThan(0);
    const text = sessionsWithB.flatMap((d) => fs.readdirSync(d).map((f) => fs.readFileSync(path.join(d, f), "utf8"))).join("");
    expect(text).toContain("typed-on-42-b");
  });

  it("a drained runner gets no new sandbox; the sandboxes already there live on", async () => {
    registry.setDraining("c", true);
    const onC = [...placed].filter(([, e]) => e.runner.name === "c");
    expect(onC.length).toBeGreaterThan(0);
    for (const n of ["gil", "hana", "ivo"]) expect((await ensure(n)).runner.name).toBe("a");
    for (const [learner, e] of onC) {
      const again = await ensure(learner);
      expect(again).toMatchObject({ sandboxId: e.sandboxId, runner: { name: "c" } });
      expect(again.notice).toBeUndefined();
    }
    registry.setDraining("c", false);
  });

  it("drained through the runner's own API (as the admin page does): the app sees it on /healthz and places elsewhere; resumed, it is used again", async () => {
    const c = fleet!.hosts.find((h) => h.name === "c")!;
    const client = new RunnerClient({ baseUrl: c.url, privateKey: KEYS.privateKey, runner: "c" });
    expect(await client.setDraining(true)).toEqual({ draining: true });
    try {
      // The registry's view may be older than the drain: a refusal from c moves placement on, too.
      for (const n of ["jade", "kim"]) expect((await ensure(n)).runner.name).toBe("a");
      await registry.refresh();
      expect(registry.list().find((v) => v.name === "c")).toMatchObject({ healthy: true, draining: true });
    } finally {
      await client.setDraining(false);
    }
    await registry.refresh();
    expect(registry.list().find((v) => v.name === "c")).toMatchObject({ healthy: true, draining: false });
    // A token for runner a cannot drain c.
    const wrong = new RunnerClient({ baseUrl: c.url, privateKey: KEYS.privateKey, runner: "a" });
    await expect(wrong.setDraining(true)).rejects.toMatchObject({ status: 401 });
  });
});

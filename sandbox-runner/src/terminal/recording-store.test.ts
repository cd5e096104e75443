import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Recorder, recordingPath } from "./recorder";
import { RecordingStore } from "./recording-store";
import type { RecordingLimits } from "./recording-quota";

const DAY = 24 * 3600_000;
const limits = (o: Partial<RecordingLimits> = {}): RecordingLimits => ({
  perSandboxBytes: 1 << 20,
  perOwnerBytes: 1 << 20,
  totalBytes: 1 << 30,
  retentionMs: 30 * DAY,
  ...o,
});

function runnerDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "recstore-"));
}

/** A recording written through the store, as the hub does: `lines` events of ~1.4 KB (a resize ends each). */
async function record(store: RecordingStore, dir: string, sid: string, tid: string, owner: string, lines: number): Promise<Recorder> {
  const r = new Recorder({
    file: recordingPath(dir, sid, tid),
    cols: 80,
    rows: 24,
    maxBytes: 1 << 20,
    quota: store.begin(sid, tid, owner),
  });
  for (let i = 0; i < lines; i++) {
    r.output(`line ${i} ${"x".repeat(60)}\r\n`.repeat(20));
    r.resize(80, 24 + (i % 2));
  }
  await r.close();
  return r;
}

function castLines(file: string): unknown[] {
  return fs
    .readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
}

describe("RecordingStore", () => {
  it("cuts a learner's recordings at their cap with a marker; later terminals get no file at all", async () => {
    const dir = runnerDir();
    const store = new RecordingStore({ runnerDir: dir, limits: limits({ perOwnerBytes: 20_000 }) });
    await store.ready;
    const r1 = await record(store, dir, "sb1", "t-1", "alice", 50);
    expect(r1.stopReason).toMatch(/learner's recordings reached their cap/);
    const last = castLines(recordingPath(dir, "sb1", "t-1")).at(-1) as unknown[];
    expect(last[1]).toBe("m");
    // Her next terminals get at most a header and the marker, then no file at all; the sum stays capped.
    for (let i = 2; i < 30; i++) {
      const r = await record(store, dir, `sb${i}`, `t-${i}`, "alice", 5);
      expect(r.refused ?? r.stopReason).toMatch(/learner's recordings reached their cap/);
    }
    expect(fs.existsSync(recordingPath(dir, "sb29", "t-29"))).toBe(false);
    const onDisk = fs
      .readdirSync(path.join(dir, "recordings"))
      .flatMap((s) =>
        fs
          .readdirSync(path.join(dir, "recordings", s))
          .filter((f) => f.endsWith(".cast"))
          .map((f) => path.join(dir, "recordings", s, f)),
      )
      .reduce((n, f) => n + fs.statSync(f).size, 0);
    expect(onDisk).toBeLessThanOrEqual(20_000);
    expect(onDisk).toBe(store.usage("sb1", "alice").owner);
    // Bob records as much as he likes.
    expect((await record(store, dir, "sb3", "t-3", "bob", 5)).stopReason).toBeNull();
    store.close();
  });

  it("knows after a restart what earlier runs recorded, and whose it was", async () => {
    const dir = runnerDir();
    const a = new RecordingStore({ runnerDir: dir, limits: limits({ perOwnerBytes: 20_000 }) });
    await a.ready;
    await record(a, dir, "sb1", "t-1", "alice", 5);
    const before = a.usage("sb1", "alice");
    a.close();
    const b = new RecordingStore({ runnerDir: dir, limits: limits({ perOwnerBytes: 20_000 }) });
    await b.ready;
    expect(b.usage("sb1", "alice")).toEqual(before);
    expect(b.list("sb1")).toEqual([expect.objectContaining({ terminalId: "t-1", bytes: before.sandbox, live: false })]);
    b.close();
  });

  it("deletes recordings past retention at start and in its periodic sweep, keeping recent and live ones", async () => {
    const dir = runnerDir();
    const a = new RecordingStore({ runnerDir: dir });
    await a.ready;
    await record(a, dir, "old", "t-1", "alice", 2);
    await record(a, dir, "mixed", "t-2", "alice", 2);
    await record(a, dir, "mixed", "t-3", "alice", 2);
    a.close();
    const past = new Date(Date.now() - 40 * DAY);
    fs.utimesSync(recordingPath(dir, "old", "t-1"), past, past);
    fs.utimesSync(recordingPath(dir, "mixed", "t-2"), past, past);

    let clock = Date.now();
    const b = new RecordingStore({ runnerDir: dir, limits: limits(), sweepIntervalMs: 20, now: () => clock });
    await b.ready;
    expect(fs.existsSync(path.join(dir, "recordings", "old"))).toBe(false); // the whole dir, owner file too
    expect(fs.existsSync(recordingPath(dir, "mixed", "t-2"))).toBe(false);
    expect(b.list("mixed").map((r) => r.terminalId)).toEqual(["t-3"]);

    // A live recording is never swept; a finished one that ages is, by the timer.
    const live = new Recorder({
      file: recordingPath(dir, "mixed", "t-4"),
      cols: 80,
      rows: 24,
      maxBytes: 1 << 20,
      quota: b.begin("mixed", "t-4", "alice"),
    });
    live.output("still typing");
    clock += 31 * DAY;
    while (fs.existsSync(recordingPath(dir, "mixed", "t-3"))) await new Promise((r) => setTimeout(r, 20));
    expect(b.list("mixed")).toEqual([expect.objectContaining({ terminalId: "t-4", live: true })]);
    await live.close();
    expect(castLines(recordingPath(dir, "mixed", "t-4")).length).toBe(2);
    b.close();
  });

  it("deletes the oldest finished recordings first when the total quota is full", async () => {
    const dir = runnerDir();
    const store = new RecordingStore({ runnerDir: dir, limits: limits({ totalBytes: 30_000 }) });
    await store.ready;
    await record(store, dir, "sa", "t-1", "x", 8);
    await new Promise((r) => setTimeout(r, 5));
    await record(store, dir, "sb", "t-2", "y", 8);
    await new Promise((r) => setTimeout(r, 5));
    const r3 = await record(store, dir, "sc", "t-3", "z", 8);
    expect(r3.stopReason).toBeNull();
    expect(fs.existsSync(recordingPath(dir, "sa", "t-1"))).toBe(false);
    expect(fs.existsSync(recordingPath(dir, "sb", "t-2"))).toBe(true);
    expect(store.usage("sc", "z").total).toBeLessThanOrEqual(30_000);
    store.close();
  });
});

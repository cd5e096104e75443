import { describe, expect, it } from "vitest";
import {
  RecordingLedger,
  evictionsForTotal,
  expiredRecordings,
  recordingLimits,
  type RecordingEntry,
  type RecordingLimits,
} from "./recording-quota";

const DAY = 24 * 3600_000;
const entry = (o: Partial<RecordingEntry> & { terminalId: string }): RecordingEntry => ({
  sandboxId: "sb1",
  owner: "alice",
  bytes: 100,
  mtimeMs: 0,
  live: false,
  ...o,
});
const limits = (o: Partial<RecordingLimits> = {}): RecordingLimits => ({
  perSandboxBytes: 1000,
  perOwnerBytes: 1500,
  totalBytes: 3000,
  retentionMs: 30 * DAY,
  ...o,
});

describe("expiredRecordings", () => {
  it("picks finished recordings older than the retention period, never a live one", () => {
    const now = 100 * DAY;
    const old = entry({ terminalId: "t-old", mtimeMs: now - 31 * DAY });
    const recent = entry({ terminalId: "t-recent", mtimeMs: now - 29 * DAY });
    const liveOld = entry({ terminalId: "t-live", mtimeMs: now - 40 * DAY, live: true });
    expect(expiredRecordings([old, recent, liveOld], now, 30 * DAY)).toEqual([old]);
  });
  it("keeps everything with an infinite retention", () => {
    expect(expiredRecordings([entry({ terminalId: "t-1", mtimeMs: -1e15 })], 0, Infinity)).toEqual([]);
  });
});

describe("evictionsForTotal", () => {
  const a = entry({ terminalId: "t-a", mtimeMs: 1, bytes: 100 });
  const b = entry({ terminalId: "t-b", mtimeMs: 2, bytes: 100 });
  const c = entry({ terminalId: "t-c", mtimeMs: 3, bytes: 100, live: true });
  it("evicts nothing while the new bytes fit", () => {
    expect(evictionsForTotal([a, b, c], 300, 50, 400)).toEqual([]);
  });
  it("evicts the oldest finished recordings first, only as many as needed", () => {
    expect(evictionsForTotal([b, c, a], 300, 50, 300)).toEqual([a]);
    expect(evictionsForTotal([b, c, a], 300, 150, 300)).toEqual([a, b]);
  });
  it("refuses when even every finished one is not enough (live ones stay)", () => {
    expect(evictionsForTotal([a, b, c], 300, 250, 300)).toBeNull();
  });
});

describe("RecordingLedger", () => {
  it("sums bytes per sandbox, per owner and in total, through add, finish and remove", () => {
    const l = new RecordingLedger();
    l.add(entry({ terminalId: "t-1", bytes: 100 }));
    l.add(entry({ terminalId: "t-2", sandboxId: "sb2", bytes: 50 }));
    l.add(entry({ terminalId: "t-3", sandboxId: "sb3", owner: "bob", bytes: 7 }));
    expect([l.sandboxBytes("sb1"), l.sandboxBytes("sb2"), l.ownerBytes("alice"), l.ownerBytes("bob"), l.total]).toEqual([
      100, 50, 150, 7, 157,
    ]);
    l.add(entry({ terminalId: "t-1", bytes: 10 })); // replaced, not added twice
    expect(l.sandboxBytes("sb1")).toBe(10);
    l.finish("sb2", "t-2", 20, 5);
    expect(l.get("sb2", "t-2")).toMatchObject({ bytes: 20, mtimeMs: 5, live: false });
    expect(l.ownerBytes("alice")).toBe(30);
    l.remove("sb1", "t-1");
    l.remove("sb2", "t-2");
    expect([l.ownerBytes("alice"), l.total, l.all().length]).toEqual([0, 7, 1]);
  });

  it("stops a recording at the sandbox's cap, then at the learner's cap across sandboxes", () => {
    const l = new RecordingLedger();
    l.add(entry({ terminalId: "t-1", bytes: 0, live: true }));
    expect(l.reserve("sb1", "t-1", 900, limits())).toEqual({ ok: true, evicted: [] });
    expect(l.reserve("sb1", "t-1", 101, limits())).toEqual({ ok: false, refusal: "sandbox" });
    // A second terminal of the same sandbox shares its cap.
    l.add(entry({ terminalId: "t-2", bytes: 0, live: true }));
    expect(l.reserve("sb1", "t-2", 100, limits()).ok).toBe(true);
    expect(l.reserve("sb1", "t-2", 1, limits())).toEqual({ ok: false, refusal: "sandbox" });
    // Another sandbox of the same learner: the learner's cap (1500) holds across both.
    l.add(entry({ terminalId: "t-3", sandboxId: "sb2", bytes: 0, live: true }));
    expect(l.reserve("sb2", "t-3", 500, limits()).ok).toBe(true);
    expect(l.reserve("sb2", "t-3", 1, limits())).toEqual({ ok: false, refusal: "owner" });
    // Another learner is not affected.
    l.add(entry({ terminalId: "t-4", sandboxId: "sb3", owner: "bob", bytes: 0, live: true }));
    expect(l.reserve("sb3", "t-4", 1000, limits()).ok).toBe(true);
    expect(l.ownerBytes("alice")).toBe(1500);
  });

  it("makes room in the total quota by taking the oldest finished recordings out", () => {
    const l = new RecordingLedger();
    l.add(entry({ terminalId: "t-old", sandboxId: "sa", owner: "x", bytes: 400, mtimeMs: 1 }));
    l.add(entry({ terminalId: "t-mid", sandboxId: "sb", owner: "y", bytes: 400, mtimeMs: 2 }));
    l.add(entry({ terminalId: "t-new", sandboxId: "sc", owner: "z", bytes: 0, live: true }));
    const big = { perSandboxBytes: 1e6, perOwnerBytes: 1e6 };
    const r = l.reserve("sc", "t-new", 300, limits({ totalBytes: 1000, ...big }));
    expect(r).toEqual({ ok: true, evicted: [expect.objectContaining({ terminalId: "t-old" })] });
    expect(l.get("sa", "t-old")).toBeUndefined();
    expect(l.total).toBe(700);
    expect(l.reserve("sc", "t-new", 701, limits({ totalBytes: 1000, ...big }))).toEqual({ ok: false, refusal: "total" });
    expect(l.get("sb", "t-mid")).toBeDefined(); // a refused grant evicts nothing
  });

  it("evicts nothing while the quota has room, and some headroom once it must evict", () => {
    const l = new RecordingLedger();
    const big = { perSandboxBytes: 1e9, perOwnerBytes: 1e9, totalBytes: 16_000 };
    for (let i = 0; i < 10; i++) l.add(entry({ terminalId: `t-${i}`, sandboxId: `s${i}`, owner: `o${i}`, bytes: 1000, mtimeMs: i }));
    l.add(entry({ terminalId: "t-new", sandboxId: "sn", owner: "on", bytes: 0, live: true }));
    expect(l.reserve("sn", "t-new", 6000, limits(big))).toEqual({ ok: true, evicted: [] });
    // Full: 1 more byte frees 1 KB (headroom 1000 = 16000 / 16) by evicting the two oldest, not one.
    const r = l.reserve("sn", "t-new", 1, limits(big));
    expect(r.ok && r.evicted.map((e) => e.terminalId)).toEqual(["t-0", "t-1"]);
    expect(l.total).toBe(14_001);
  });

  it("refuses bytes for a recording it does not know", () => {
    expect(new RecordingLedger().reserve("sb1", "t-x", 1, limits()).ok).toBe(false);
  });
});

describe("recordingLimits", () => {
  it("turns the configuration's MiB and days into bytes and milliseconds", () => {
    expect(
      recordingLimits({
        RECORDINGS_MAX_MB_PER_SANDBOX: 1,
        RECORDINGS_MAX_MB_PER_LEARNER: 2,
        RECORDINGS_MAX_MB: 3,
        RECORDINGS_RETENTION_DAYS: 30,
      }),
    ).toEqual({ perSandboxBytes: 1 << 20, perOwnerBytes: 2 << 20, totalBytes: 3 << 20, retentionMs: 30 * DAY });
  });
});

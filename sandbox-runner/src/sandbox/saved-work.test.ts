import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { fitsQuota, isExpired, ownerKey, SavedWorkStore } from "./saved-work";

const DAY = 86_400_000;

describe("saved work rules", () => {
  it("an owner's dir is a hash: no owner string becomes a path", () => {
    expect(ownerKey("../../etc")).toMatch(/^[0-9a-f]{64}$/);
    expect(ownerKey("ana")).not.toBe(ownerKey("bruno"));
  });

  it("the quota counts the others' layers plus the new one", () => {
    expect(fitsQuota(2, 1, 3)).toBe(true);
    expect(fitsQuota(2, 2, 3)).toBe(false);
  });

  it("retention: past it, or an unreadable date, is expired", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(isExpired("2026-11-29T12:00:01Z", now, DAY)).toBe(false);
    expect(isExpired("2026-11-29T11:59:59Z", now, DAY)).toBe(true);
    expect(isExpired("not a date", now, DAY)).toBe(true);
  });
});

describe("SavedWorkStore.prune", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes what is past retention, keeps the rest and a save in flight", async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "saved-work-"));
    const now = Date.parse("2026-11-30T12:00:00Z");
    const put = (key: string, files: Record<string, unknown>) => {
      mkdirSync(path.join(dir, key));
      for (const [f, v] of Object.entries(files)) writeFileSync(path.join(dir, key, f), JSON.stringify(v));
    };
    put("old", { "layer.json": { savedAt: "2026-11-01T00:00:00Z" } });
    put("fresh", { "layer.json": { savedAt: "2026-11-30T00:00:00Z" } });
    put("old-layer-new-notice", { "layer.json": { savedAt: "2026-11-01T00:00:00Z" }, "notice.json": { at: "2026-11-30T00:00:00Z" } });
    put("in-flight", {});
    const store = new SavedWorkStore(
      {
        dir,
        ids: { base: 100000, count: 65536 },
        maxBytesPerLearner: 1,
        maxBytes: 1,
        retentionMs: 14 * DAY,
        restore: { maxBytes: 1, maxMembers: 1 },
      },
      pino({ level: "silent" }),
    );
    expect(await store.prune(now)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(["fresh", "in-flight", "old-layer-new-notice"]);
  });
});

describe("SavedWorkStore quota", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("ten learners' sandboxes ending at once keep no more than the quota of all saved work", async () => {
    // Each save checks the quota against the others' layers: checked at the same time, before any
    // of them was in place, every one fitted, and the quota was passed tenfold.
    dir = mkdtempSync(path.join(os.tmpdir(), "saved-quota-"));
    const MB = 1024 * 1024;
    const store = new SavedWorkStore(
      {
        dir: path.join(dir, "saved"),
        ids: { base: 100000, count: 65536 },
        maxBytesPerLearner: 4 * MB,
        maxBytes: 3 * MB,
        retentionMs: 14 * DAY,
        restore: { maxBytes: 16 * MB, maxMembers: 4096 },
      },
      pino({ level: "silent" }),
    );
    const owners = Array.from({ length: 10 }, (_, i) => `learner-${i}`);
    for (const o of owners) {
      const upper = path.join(dir, o, "upper", "root");
      mkdirSync(upper, { recursive: true });
      writeFileSync(path.join(upper, "work.bin"), randomBytes(MB)); // random: gzip cannot shrink it
      chownSync(upper, 100000, 100000);
      chownSync(path.join(upper, "work.bin"), 100000, 100000);
      chownSync(path.dirname(upper), 100000, 100000);
    }
    await Promise.all(owners.map((o) => store.save(o, path.join(dir, o, "upper"))));
    const layers = readdirSync(path.join(dir, "saved"))
      .map((k) => path.join(dir, "saved", k, "layer.tar.gz"))
      .filter((f) => existsSync(f));
    const total = layers.reduce((n, f) => n + statSync(f).size, 0);
    expect(layers.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(3 * MB);
    const told = readdirSync(path.join(dir, "saved")).filter((k) => existsSync(path.join(dir, "saved", k, "notice.json")));
    expect(told.length + layers.length).toBe(owners.length); // each one either kept or told why not
  });
});

/**
 * A short run of the benchmarks (1–2 rounds of sandbox-ready and check latency, each beside its
 * floor): checks that they run end to end against real containers and produce results.json-shaped
 * output. Timings are not asserted (a shared 2-core machine); `npm run bench` is the real run.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runBench } from "./run";
import type { Results } from "./lib/results";
import { REPO } from "./lib/runner-process";

describe("bench smoke", () => {
  it("measures sandbox ready (cold, warm pool) and a Check beside their floors, and writes results.json", async () => {
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), "bench-smoke-")), "results.json");
    const r = await runBench({
      rounds: 2,
      only: new Set(["ready", "check"]),
      density: 1,
      out,
      doc: false,
      dataDir: path.join(REPO, ".data/test-bench"),
      rawBytes: 1 << 20,
      keys: 5,
      log: () => undefined,
    });
    const written = JSON.parse(readFileSync(out, "utf8")) as Results;
    expect(written).toEqual(JSON.parse(JSON.stringify(r)));
    expect(Object.keys(written.figures).sort()).toEqual(["checkBatchLatency", "checkLatency", "sandboxReadyCold", "sandboxReadyWarm"]);
    for (const [key, f] of Object.entries(written.figures)) {
      expect(f.status, key).toBe("measured");
      for (const s of [f.product!, f.baseline!]) {
        expect(s.name.length, key).toBeGreaterThan(0);
        expect(s.stat.n, key).toBeGreaterThanOrEqual(2);
        expect(s.stat.p50, key).toBeGreaterThan(0);
        expect(s.stat.p99!, key).toBeGreaterThanOrEqual(s.stat.p50!);
      }
      expect(f.ratio, key).toBeCloseTo(f.product!.stat.p50! / f.baseline!.stat.p50!, 1);
      expect(typeof f.met, key).toBe("boolean");
    }
    expect(written.machine.cores).toBeGreaterThan(0);
    expect(written.loadavg.before).toHaveLength(3);
  }, 600_000);
});

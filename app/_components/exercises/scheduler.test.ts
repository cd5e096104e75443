import { afterEach, describe, expect, it, vi } from "vitest";
import { autoCheckScheduler } from "./scheduler";

afterEach(() => void vi.useRealTimers());

describe("autoCheckScheduler", () => {
  it("runs the first automatic request at once (no debounce wait after the prompt)", async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const s = autoCheckScheduler({ minGapMs: 500, run: async (t) => void runs.push(t) });
    s.request("auto");
    expect(runs).toEqual(["auto"]);
  });

  it("merges a burst of automatic requests: at most one run per minGapMs, the last request always covered", async () => {
    vi.useFakeTimers();
    const runs: number[] = [];
    const s = autoCheckScheduler({ minGapMs: 500, run: async () => void runs.push(Date.now()) });
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      s.request("auto");
      await vi.advanceTimersByTimeAsync(50);
    }
    await vi.advanceTimersByTimeAsync(1000);
    // 1 s of requests every 50 ms: a run at 0, 500 and 1000 ms (the last covers the requests after 500).
    expect(runs.map((t) => t - t0)).toEqual([0, 500, 1000]);
  });

  it("a manual request runs at once and replaces a pending automatic one", async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const s = autoCheckScheduler({ minGapMs: 500, run: async (t) => void runs.push(t) });
    s.request("auto");
    s.request("auto");
    s.request("manual");
    await vi.advanceTimersByTimeAsync(2000);
    expect(runs).toEqual(["auto", "manual"]);
  });

  it("keeps one run in flight and merges requests made meanwhile into one follow-up", async () => {
    let release!: () => void;
    const runs: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const s = autoCheckScheduler({
      minGapMs: 0,
      run: (t) => {
        runs.push(t);
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        return new Promise<void>((r) => (release = () => (concurrent--, r())));
      },
    });
    s.request("manual");
    s.request("manual");
    s.request("manual");
    expect(runs).toEqual(["manual"]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toEqual(["manual", "manual"]);
    release();
    await new Promise((r) => setTimeout(r, 0));
    expect(runs).toHaveLength(2);
    expect(maxConcurrent).toBe(1);
  });
});

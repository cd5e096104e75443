import { describe, expect, it, vi } from "vitest";
import { autoCheckScheduler } from "./scheduler";

describe("autoCheckScheduler", () => {
  it("debounces a burst of automatic requests into one run", async () => {
    vi.useFakeTimers();
    const runs: string[] = [];
    const s = autoCheckScheduler({ debounceMs: 100, run: async (t) => void runs.push(t) });
    s.request("auto");
    s.request("auto");
    await vi.advanceTimersByTimeAsync(50);
    s.request("auto");
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toEqual(["auto"]);
    vi.useRealTimers();
  });

  it("keeps one run in flight and merges requests made meanwhile into one follow-up", async () => {
    let release!: () => void;
    const runs: string[] = [];
    let concurrent = 0;
    let maxConcurrent = 0;
    const s = autoCheckScheduler({
      debounceMs: 0,
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

import { describe, expect, it } from "vitest";
import { BURST_WINDOW_MS, DemandWindow, MEMORY_RESERVE_MB, SESSION_WINDOW_MS, boundedPoolTarget, demandTarget } from "./pool-demand";

const roomy = { max: 8, capacity: 50, owned: 0, waiting: 0, availableMb: 100_000, sandboxMemoryMb: 256, pooled: 0 };

describe("pool size from demand", () => {
  it("an idle machine keeps no pool; one request keeps one ready while the class is on", () => {
    const w = new DemandWindow();
    expect(demandTarget(w, 0)).toBe(0);
    w.record(1000);
    expect(demandTarget(w, 1000)).toBe(1);
    // Past the burst, still within the session: one stays ready.
    expect(demandTarget(w, 1000 + BURST_WINDOW_MS + 1)).toBe(1);
    // Half an hour without anyone: nothing.
    expect(demandTarget(w, 1000 + SESSION_WINDOW_MS)).toBe(0);
  });

  it("a burst asks for as many as arrived in the last minute", () => {
    const w = new DemandWindow();
    for (let i = 0; i < 12; i++) w.record(i * 1000);
    expect(demandTarget(w, 12_000)).toBe(12);
    // Later, the first half of the burst is older than a minute.
    expect(demandTarget(w, 65_500)).toBe(6);
  });

  it("is bounded by the maximum, the room left and the memory", () => {
    expect(boundedPoolTarget(12, roomy)).toBe(8);
    expect(boundedPoolTarget(12, { ...roomy, capacity: 10, owned: 7 })).toBe(3);
    // Learners waiting in line own the room: the pool takes none of it.
    expect(boundedPoolTarget(12, { ...roomy, capacity: 10, owned: 7, waiting: 3 })).toBe(0);
    // 512 MiB reserve + room for two sandboxes of 256 MiB.
    expect(boundedPoolTarget(12, { ...roomy, availableMb: MEMORY_RESERVE_MB + 2 * 256 + 10 })).toBe(2);
    // The pool's own sandboxes already hold their memory: the two it has are not counted against it again.
    expect(boundedPoolTarget(12, { ...roomy, availableMb: MEMORY_RESERVE_MB + 10, pooled: 2 })).toBe(2);
    expect(boundedPoolTarget(3, { ...roomy, availableMb: 100 })).toBe(0);
    expect(boundedPoolTarget(3, { ...roomy, capacity: 5, owned: 9 })).toBe(0);
  });
});

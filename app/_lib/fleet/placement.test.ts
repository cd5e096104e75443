import { describe, expect, it } from "vitest";
import { pickRunner, type RunnerState } from "./placement";

const r = (name: string, over: Partial<RunnerState> = {}): RunnerState => ({
  name,
  healthy: true,
  draining: false,
  sandboxes: 0,
  capacity: 10,
  ...over,
});

describe("pickRunner", () => {
  it("picks the least loaded runner by share of capacity, then by name", () => {
    expect(pickRunner([r("a", { sandboxes: 3 }), r("b", { sandboxes: 1 }), r("c", { sandboxes: 2 })])).toEqual({ ok: true, name: "b" });
    // 4 of 40 is less loaded than 2 of 10
    expect(pickRunner([r("a", { sandboxes: 2 }), r("b", { sandboxes: 4, capacity: 40 })])).toEqual({ ok: true, name: "b" });
    expect(pickRunner([r("b"), r("a")])).toEqual({ ok: true, name: "a" });
  });

  it("never picks a runner that is down, draining, full or to be avoided", () => {
    const states = [r("a", { healthy: false }), r("b", { draining: true }), r("c", { sandboxes: 10 }), r("d", { sandboxes: 9 }), r("e")];
    expect(pickRunner(states, { avoid: ["e"] })).toEqual({ ok: true, name: "d" });
  });

  it("says why nothing fits", () => {
    expect(pickRunner([])).toMatchObject({ ok: false, reason: "no-runner" });
    expect(pickRunner([r("a", { healthy: false })])).toMatchObject({
      ok: false,
      reason: "all-down",
      message: expect.stringContaining("a"),
    });
    expect(pickRunner([r("a", { draining: true }), r("b", { healthy: false })])).toMatchObject({ ok: false, reason: "all-draining" });
    expect(pickRunner([r("a", { sandboxes: 10 })])).toMatchObject({ ok: false, reason: "all-full" });
    expect(pickRunner([r("a")], { avoid: ["a"] })).toMatchObject({ ok: false, reason: "no-runner" });
  });

  it("evenIfFull: a runner with room first, else the least loaded full one (the learner waits in its line), never a down or draining one", () => {
    const full = [r("a", { sandboxes: 12 }), r("b", { sandboxes: 10 }), r("c", { healthy: false }), r("d", { draining: true })];
    expect(pickRunner(full, { evenIfFull: true })).toEqual({ ok: true, name: "b" });
    expect(pickRunner([...full, r("e", { sandboxes: 9 })], { evenIfFull: true })).toEqual({ ok: true, name: "e" });
    expect(pickRunner([r("c", { healthy: false })], { evenIfFull: true })).toMatchObject({ ok: false, reason: "all-down" });
  });
});

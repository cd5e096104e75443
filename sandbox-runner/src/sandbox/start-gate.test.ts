import { describe, expect, it } from "vitest";
import { StartGate } from "./start-gate";

/** A start that finishes when the test says so. */
function pending() {
  let done!: () => void;
  const p = new Promise<void>((r) => (done = r));
  return { p, done };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("StartGate", () => {
  it("never lets more than `limit` starts run at once, learners before the pool, each first come first served", async () => {
    const gate = new StartGate(2);
    const order: string[] = [];
    const starts = new Map<string, ReturnType<typeof pending>>();
    const start = (name: string, kind: "learner" | "pool") => {
      const s = pending();
      starts.set(name, s);
      return gate.run(kind, async () => {
        order.push(name);
        await s.p;
        return name;
      });
    };
    const runs = [start("p1", "pool"), start("l1", "learner"), start("p2", "pool"), start("l2", "learner"), start("l3", "learner")];
    await tick();
    expect(order).toEqual(["p1", "l1"]);
    expect(gate.stats()).toEqual({ active: 2, peak: 2, waiting: 3 });
    starts.get("p1")!.done();
    await tick();
    // The learner waiting goes before the pool's start that asked earlier.
    expect(order).toEqual(["p1", "l1", "l2"]);
    starts.get("l1")!.done();
    starts.get("l2")!.done();
    await tick();
    expect(order).toEqual(["p1", "l1", "l2", "l3", "p2"]);
    starts.get("l3")!.done();
    starts.get("p2")!.done();
    expect(await Promise.all(runs)).toEqual(["p1", "l1", "p2", "l2", "l3"]);
    expect(gate.stats()).toEqual({ active: 0, peak: 2, waiting: 0 });
  });

  it("a failed start frees its place", async () => {
    const gate = new StartGate(1);
    await expect(gate.run("learner", () => Promise.reject(new Error("runc failed")))).rejects.toThrow("runc failed");
    expect(await gate.run("learner", async () => 42)).toBe(42);
    expect(gate.stats().active).toBe(0);
  });

  it("refuses a limit below one", () => {
    expect(() => new StartGate(0)).toThrow(/≥ 1/);
  });
});

import { describe, expect, it } from "vitest";
import { FlowGate } from "./flow";

describe("FlowGate", () => {
  it("pauses above high water and resumes only below low water", () => {
    const g = new FlowGate({ highWater: 100, lowWater: 20 });
    g.add("a", true);
    expect(g.sent("a", 100)).toBe(null);
    expect(g.sent("a", 1)).toBe("pause");
    expect(g.sent("a", 50)).toBe(null);
    expect(g.acked("a", 100)).toBe(null); // 51 left: above low water
    expect(g.isPaused).toBe(true);
    expect(g.acked("a", 31)).toBe("resume"); // 20 left
    expect(g.isPaused).toBe(false);
  });

  it("waits for every blocking consumer; observers never hold the PTY", () => {
    const g = new FlowGate({ highWater: 100, lowWater: 20 });
    g.add("a", true);
    g.add("b", true);
    g.add("obs", false);
    expect(g.sent("obs", 10_000)).toBe(null);
    g.sent("a", 200);
    g.sent("b", 200);
    expect(g.isPaused).toBe(true);
    expect(g.acked("a", 200)).toBe(null);
    expect(g.acked("b", 200)).toBe("resume");
  });

  it("removing the slow consumer resumes", () => {
    const g = new FlowGate({ highWater: 100, lowWater: 20 });
    g.add("a", true);
    g.sent("a", 500);
    expect(g.remove("a")).toBe("resume");
  });

  it("holds keep it paused regardless of acks, and over-acks are clamped", () => {
    const g = new FlowGate({ highWater: 100, lowWater: 20 });
    g.add("a", true);
    expect(g.hold("attach")).toBe("pause");
    expect(g.acked("a", 1e9)).toBe(null);
    expect(g.unacked("a")).toBe(0);
    expect(g.release("attach")).toBe("resume");
  });

  it("reports consumers stuck above high water", () => {
    const g = new FlowGate({ highWater: 100, lowWater: 20 });
    g.add("a", true);
    g.add("b", false);
    g.sent("a", 500, 1000);
    g.sent("b", 500, 5000);
    expect(g.stuck(2000)).toEqual(["a"]);
    g.acked("a", 450);
    expect(g.stuck(10_000)).toEqual(["b"]);
  });

  it("refuses nonsense limits", () => {
    expect(() => new FlowGate({ highWater: 10, lowWater: 10 })).toThrow(/lowWater < highWater/);
  });
});

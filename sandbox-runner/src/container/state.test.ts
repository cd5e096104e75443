import { describe, expect, it } from "vitest";
import { canTransition, InvalidTransitionError, transition, transitions, type ContainerState } from "./state";

const all: ContainerState[] = ["creating", "running", "stopping", "gone"];

describe("container state table", () => {
  it("allows exactly the lifecycle moves", () => {
    const allowed = all.flatMap((from) => all.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(["creating->running", "creating->stopping", "running->stopping", "stopping->gone"].sort());
  });

  it("returns the target state on a legal move", () => {
    expect(transition("creating", "running")).toBe("running");
    expect(transition("stopping", "gone")).toBe("gone");
  });

  it("throws a typed error naming both states on an illegal move", () => {
    expect(() => transition("gone", "running")).toThrow(InvalidTransitionError);
    expect(() => transition("running", "creating")).toThrow("invalid state transition from running to creating");
    try {
      transition("stopping", "running");
    } catch (e) {
      expect(e).toMatchObject({ from: "stopping", to: "running" });
    }
  });

  it("has no way out of gone", () => {
    expect(transitions.gone).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { summarizeAttempts, type AttemptRow } from "./attempts";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const row = (exerciseId: string, passed: boolean, trigger: "auto" | "manual", s: number): AttemptRow => ({
  exerciseId,
  passed,
  trigger,
  createdAt: at(s),
});

describe("summarizeAttempts", () => {
  it("counts failed manual Checks before the first pass and keeps the first pass time", () => {
    const rows = [
      row("a", false, "manual", 1),
      row("a", false, "auto", 2), // an automatic Check is not the learner trying
      row("a", false, "manual", 3),
      row("a", true, "auto", 5),
      row("a", false, "manual", 6), // after the pass: not counted
      row("a", true, "manual", 9),
      row("b", false, "manual", 4),
    ];
    expect(summarizeAttempts(rows.reverse())).toEqual({
      a: { failedChecks: 2, passedAt: at(5).toISOString() },
      b: { failedChecks: 1, passedAt: null },
    });
  });

  it("is empty without attempts", () => {
    expect(summarizeAttempts([])).toEqual({});
  });
});

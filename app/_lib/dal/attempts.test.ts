import { describe, expect, it } from "vitest";
import { summarizeAttempts, type AttemptRow } from "./attempts";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
const row = (exerciseId: string, passed: boolean, trigger: "auto" | "manual", s: number, message = `msg ${s}`): AttemptRow => ({
  exerciseId,
  passed,
  trigger,
  message,
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
      a: { failedChecks: 2, passedAt: at(5).toISOString(), lastMessage: null },
      b: { failedChecks: 1, passedAt: null, lastMessage: "msg 4" },
    });
  });

  it("keeps the last failed message only once the learner tried (a failed manual Check); automatic ones then refresh it", () => {
    const rows = [
      row("untried", false, "auto", 1, "auto says no"), // background Checks alone: not tried, no message
      row("untried", false, "auto", 2, "auto says no again"),
      row("tried", false, "auto", 1, "before trying"),
      row("tried", false, "manual", 2, "the learner saw this"),
      row("tried", false, "auto", 3, "then this, after a command"),
      row("manual-last", false, "manual", 1, "first"),
      row("manual-last", false, "manual", 2, "second"),
    ];
    expect(summarizeAttempts(rows)).toEqual({
      untried: { failedChecks: 0, passedAt: null, lastMessage: null },
      tried: { failedChecks: 1, passedAt: null, lastMessage: "then this, after a command" },
      "manual-last": { failedChecks: 2, passedAt: null, lastMessage: "second" },
    });
  });

  it("is empty without attempts", () => {
    expect(summarizeAttempts([])).toEqual({});
  });
});

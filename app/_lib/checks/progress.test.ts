import { describe, expect, it } from "vitest";
import { lessonProgress, progressAfter, type LessonCheckState } from "./progress";

const t = (s: number) => new Date(Date.UTC(2026, 10, 30, 20, 0, s));
const state = (attempts: LessonCheckState["attempts"]): LessonCheckState => ({
  attempts,
  hintsShown: { b: 2 },
  solutionsOpened: new Set(["c"]),
});

describe("lesson progress from the rows one Check run read", () => {
  it("passes, failed manual tries, the last message once tried, hints and solutions", () => {
    const p = lessonProgress(
      ["a", "b", "c"],
      state([
        { exerciseId: "a", passed: false, trigger: "manual", message: "no", createdAt: t(1) },
        { exerciseId: "a", passed: true, trigger: "auto", message: "", createdAt: t(2) },
        { exerciseId: "b", passed: false, trigger: "auto", message: "not tried", createdAt: t(3) },
      ]),
    );
    expect(p.get("a")).toMatchObject({ passed: true, checked: true, message: "", failedChecks: 1, passedAt: t(2).toISOString() });
    expect(p.get("b")).toMatchObject({ passed: false, checked: false, message: "", failedChecks: 0, hintsShown: 2 });
    expect(p.get("c")).toMatchObject({ passed: false, checked: false, solutionShown: true });
  });

  it("after a run: the run's attempts count as if read back; a failing automatic Check leaves an untried exercise neutral", () => {
    const before = state([{ exerciseId: "b", passed: false, trigger: "manual", message: "first", createdAt: t(1) }]);
    const after = progressAfter(
      ["a", "b", "c"],
      before,
      [
        { exerciseId: "a", passed: false, message: "Ainda não." },
        { exerciseId: "b", passed: false, message: "second" },
        { exerciseId: "c", passed: true, message: "" },
      ],
      "auto",
      t(5),
    );
    const by = new Map(after.map((p) => [p.exerciseId, p]));
    expect(by.get("a")).toMatchObject({ passed: false, checked: false, message: "", failedChecks: 0 });
    // Tried before (a failed manual Check): automatic Checks refresh its message but add no failed try.
    expect(by.get("b")).toMatchObject({ passed: false, checked: true, message: "second", failedChecks: 1 });
    expect(by.get("c")).toMatchObject({ passed: true, checked: true, passedAt: t(5).toISOString() });
  });

  it("a manual failing Check marks the exercise tried and counts", () => {
    const [a] = progressAfter(["a"], state([]), [{ exerciseId: "a", passed: false, message: "Ainda não." }], "manual", t(5));
    expect(a).toMatchObject({ passed: false, checked: true, message: "Ainda não.", failedChecks: 1 });
  });
});

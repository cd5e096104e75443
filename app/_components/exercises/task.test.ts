import { describe, expect, it } from "vitest";
import { afterLesson, currentExercise, newlyPassed } from "./task";

const ex = [{ id: "a" }, { id: "b" }, { id: "c" }];

describe("the task panel's current exercise", () => {
  it("is the first not passed, in lesson order", () => {
    expect(currentExercise(ex, {})?.id).toBe("a");
    expect(currentExercise(ex, { a: { passed: true } })?.id).toBe("b");
    expect(currentExercise(ex, { a: { passed: true }, b: { passed: false } })?.id).toBe("b");
    // A later exercise done first: the earlier one is still the task.
    expect(currentExercise(ex, { b: { passed: true } })?.id).toBe("a");
    expect(currentExercise(ex, { a: { passed: true }, b: { passed: true } })?.id).toBe("c");
  });

  it("is the one the learner picked, even when passed; an unknown pick falls back", () => {
    expect(currentExercise(ex, { a: { passed: true } }, "a")?.id).toBe("a");
    expect(currentExercise(ex, {}, "c")?.id).toBe("c");
    expect(currentExercise(ex, {}, "zz")?.id).toBe("a");
  });

  it("is none once every exercise passed (the lesson is complete), or when there are none", () => {
    expect(currentExercise(ex, { a: { passed: true }, b: { passed: true }, c: { passed: true } })).toBeNull();
    expect(currentExercise([], {})).toBeNull();
  });
});

describe("exercises a check just passed", () => {
  it("are the ones passed now and not before, in lesson order", () => {
    expect(newlyPassed(ex, {}, { c: { passed: true }, a: { passed: true } }).map((e) => e.id)).toEqual(["a", "c"]);
    expect(newlyPassed(ex, { a: { passed: true } }, { a: { passed: true } })).toEqual([]);
    expect(newlyPassed(ex, { a: { passed: false } }, { a: { passed: false }, b: { passed: false } })).toEqual([]);
  });
});

describe("after a completed lesson", () => {
  const order = ["l1", "l2", "l3"];
  it("comes the next lesson", () => {
    expect(afterLesson(order, "l1", null)).toEqual({ kind: "next", lessonId: "l2" });
    expect(afterLesson(order, "l2", [])).toEqual({ kind: "next", lessonId: "l3" });
  });
  it("at the last lesson: the course is complete only when every lesson is done", () => {
    expect(
      afterLesson(order, "l3", [
        { lessonId: "l1", done: true },
        { lessonId: "l2", done: true },
      ]),
    ).toEqual({ kind: "course-complete" });
    // The server may not have recorded this lesson's last pass yet: the page saw it.
    expect(
      afterLesson(order, "l3", [
        { lessonId: "l1", done: true },
        { lessonId: "l2", done: true },
        { lessonId: "l3", done: false },
      ]),
    ).toEqual({ kind: "course-complete" });
    expect(afterLesson(order, "l3", [{ lessonId: "l1", done: true }])).toEqual({ kind: "lessons-left", lessonIds: ["l2"] });
    expect(afterLesson(order, "l3", null)).toEqual({ kind: "last" });
  });
});

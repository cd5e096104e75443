import { describe, expect, it } from "vitest";
import { courseProgress, lessonProgress, resumeLessonId, type LessonOutline } from "./progress-rules";

const lessons: LessonOutline[] = [
  { id: "01-a", exerciseIds: ["a1", "a2"] },
  { id: "02-b", exerciseIds: ["b1", "b2", "b3"] },
  { id: "03-c", exerciseIds: ["c1", "c2"] },
];

describe("lesson progress", () => {
  it("counts passed exercises of the lesson only", () => {
    expect(lessonProgress(lessons[1]!, ["b1", "a1", "zz"])).toEqual({ lessonId: "02-b", passed: 1, total: 3, done: false });
    expect(lessonProgress(lessons[0]!, ["a2", "a1"]).done).toBe(true);
    expect(lessonProgress(lessons[0]!, undefined)).toMatchObject({ passed: 0, done: false });
  });
});

describe("continue where you left off", () => {
  const progress = (passed: Record<string, string[]>) => courseProgress(lessons, passed);

  it("starts at the first lesson for a newcomer", () => {
    expect(resumeLessonId(lessons, progress({}), null)).toBe("01-a");
  });
  it("returns to the last lesson visited while it is unfinished", () => {
    expect(resumeLessonId(lessons, progress({ "01-a": ["a1", "a2"] }), "02-b")).toBe("02-b");
  });
  it("moves on to the next unfinished lesson once the last visited one is done", () => {
    expect(resumeLessonId(lessons, progress({ "02-b": ["b1", "b2", "b3"] }), "02-b")).toBe("03-c");
    expect(resumeLessonId(lessons, progress({ "03-c": ["c1", "c2"] }), "03-c")).toBe("01-a");
  });
  it("stays on the last visited lesson when everything is done", () => {
    const all = { "01-a": ["a1", "a2"], "02-b": ["b1", "b2", "b3"], "03-c": ["c1", "c2"] };
    expect(resumeLessonId(lessons, progress(all), "02-b")).toBe("02-b");
  });
  it("ignores a visit to a lesson that no longer exists", () => {
    expect(resumeLessonId(lessons, progress({ "01-a": ["a1", "a2"] }), "99-gone")).toBe("02-b");
  });
  it("has nowhere to go in an empty course", () => {
    expect(resumeLessonId([], [], null)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { exerciseShareScore } from "./score";

describe("exerciseShareScore (the documented LMS score)", () => {
  const ex = ["a", "b", "c"];
  it("is 100 × passed ÷ exercises, rounded to 2 decimals, out of 100", () => {
    expect(exerciseShareScore({ exerciseIds: ex, passedExerciseIds: new Set(["a"]), visited: true })).toEqual({
      scoreGiven: 33.33,
      scoreMaximum: 100,
      activityProgress: "InProgress",
      gradingProgress: "FullyGraded",
    });
    expect(exerciseShareScore({ exerciseIds: ex, passedExerciseIds: new Set(["a", "b", "c"]), visited: true })).toMatchObject({
      scoreGiven: 100,
      activityProgress: "Completed",
    });
  });
  it("ignores passes of other lessons' exercises", () => {
    expect(exerciseShareScore({ exerciseIds: ex, passedExerciseIds: new Set(["z"]), visited: false })).toMatchObject({
      scoreGiven: 0,
      activityProgress: "Initialized",
    });
  });
  it("an activity without exercises is done once visited", () => {
    expect(exerciseShareScore({ exerciseIds: [], passedExerciseIds: new Set(), visited: true })).toMatchObject({
      scoreGiven: 100,
      activityProgress: "Completed",
    });
    expect(exerciseShareScore({ exerciseIds: [], passedExerciseIds: new Set(), visited: false }).scoreGiven).toBe(0);
  });
});

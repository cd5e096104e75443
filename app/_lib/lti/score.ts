/**
 * The score sent back to the LMS gradebook for one activity (a lesson, or the whole course).
 *
 * Formula (documented in docs/instructors.md): 100 × (exercises of the activity the learner has
 * passed at least once) ÷ (exercises of the activity), rounded to 2 decimals; scoreMaximum 100.
 * Hints and opened solutions do not lower it: the LMS column says how much of the work is done,
 * the class matrix says how it was done. An activity without exercises scores 100 once visited.
 *
 * `ScoreFn` is the seam: the class-level score of the instructor tools can replace this function
 * in `ltiTool()` without touching the LTI code.
 */
export interface ActivityScore {
  scoreGiven: number;
  scoreMaximum: number;
  activityProgress: "Initialized" | "Started" | "InProgress" | "Completed";
  gradingProgress: "FullyGraded";
}

export interface ScoreInput {
  /** The exercises of the activity. */
  exerciseIds: readonly string[];
  /** Exercises the learner passed (any lesson). */
  passedExerciseIds: ReadonlySet<string>;
  visited: boolean;
}

export type ScoreFn = (i: ScoreInput) => ActivityScore;

export const exerciseShareScore: ScoreFn = (i) => {
  const total = i.exerciseIds.length;
  const done = i.exerciseIds.filter((id) => i.passedExerciseIds.has(id)).length;
  const share = total === 0 ? (i.visited ? 1 : 0) : done / total;
  const scoreGiven = Math.round(share * 100 * 100) / 100;
  const activityProgress = share >= 1 ? "Completed" : done > 0 ? "InProgress" : i.visited ? "Started" : "Initialized";
  return { scoreGiven, scoreMaximum: 100, activityProgress, gradingProgress: "FullyGraded" };
};

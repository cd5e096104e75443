import { summarizeAttempts, type AttemptRow } from "../dal/attempts";

/**
 * A lesson's progress as the checklist shows it, computed from the rows a Check run read once: the
 * learner's attempts, hints and solutions. The run's own new attempts are added in memory rather
 * than read back, so a trigger costs one read of the lesson's records, not two.
 */
export interface ExerciseProgress {
  exerciseId: string;
  passed: boolean;
  /**
   * The learner tried it: a Check they asked for failed, or it passed. Automatic Checks that fail
   * say nothing about an exercise the learner has not started, so they leave this false.
   */
  checked: boolean;
  /** The last failed Check's message once tried (kept across reloads from the attempts), else "". */
  message: string;
  /** Failed Checks the learner asked for before a pass, from the recorded attempts (survives reloads). */
  failedChecks: number;
  /** ISO time of the first passing Check, null while not passed. */
  passedAt: string | null;
  hintsShown: number;
  solutionShown: boolean;
}

export interface LessonCheckState {
  attempts: readonly AttemptRow[];
  /** exerciseId → hints opened */
  hintsShown: Readonly<Record<string, number>>;
  solutionsOpened: ReadonlySet<string>;
}

/** Pure: each exercise's progress from the lesson's recorded rows. */
export function lessonProgress(exerciseIds: readonly string[], s: LessonCheckState): Map<string, ExerciseProgress> {
  const sum = summarizeAttempts(s.attempts);
  const passed = new Set(s.attempts.filter((a) => a.passed).map((a) => a.exerciseId));
  return new Map(
    exerciseIds.map((id) => {
      const a = sum[id];
      const p = passed.has(id);
      return [
        id,
        {
          exerciseId: id,
          passed: p,
          checked: p || (a?.failedChecks ?? 0) > 0,
          message: p ? "" : (a?.lastMessage ?? ""),
          failedChecks: a?.failedChecks ?? 0,
          passedAt: a?.passedAt ?? null,
          hintsShown: s.hintsShown[id] ?? 0,
          solutionShown: s.solutionsOpened.has(id),
        },
      ];
    }),
  );
}

export interface CheckRun {
  exerciseId: string;
  passed: boolean;
  message: string;
}

/**
 * Pure: the progress after a Check run, from the rows before it plus the run's own attempts. A
 * failing automatic Check does not mark an exercise the learner has not tried (it stays neutral).
 */
export function progressAfter(
  exerciseIds: readonly string[],
  before: LessonCheckState,
  runs: readonly CheckRun[],
  trigger: "auto" | "manual",
  now: Date,
): ExerciseProgress[] {
  const added: AttemptRow[] = runs.map((r) => ({
    exerciseId: r.exerciseId,
    passed: r.passed,
    trigger,
    message: r.message,
    createdAt: now,
  }));
  const after = lessonProgress(exerciseIds, { ...before, attempts: [...before.attempts, ...added] });
  for (const r of runs) {
    const p = after.get(r.exerciseId);
    if (!p) continue;
    const tried = r.passed || trigger === "manual" || p.checked;
    Object.assign(p, { passed: p.passed || r.passed, checked: tried, message: tried ? r.message : "" });
  }
  return [...after.values()];
}

import { db, type Db } from "../db";
import { getViewer } from "./index";
import { assertId, type Viewer } from "./rules";

/**
 * The viewer's Check history per exercise of one lesson, from the recorded ExerciseAttempt rows:
 * how many Checks the learner asked for failed before the exercise passed (it decides when the
 * solution is offered, so a reload does not reset it), when it first passed, and the message of
 * the last failed Check once the learner has tried it (what the page showed, back after a reload).
 * Automatic Checks run after every command for every unfinished exercise, so they say nothing
 * about the learner trying *that* exercise: only "manual" Checks count as failed tries.
 */
export interface ExerciseAttemptSummary {
  failedChecks: number;
  /** ISO time of the first passing Check, null while not passed. */
  passedAt: string | null;
  /**
   * Message of the latest failed Check since the learner's first failed manual Check (automatic
   * ones then refresh it, as on the page); null while not tried or once passed.
   */
  lastMessage: string | null;
}

export interface AttemptRow {
  exerciseId: string;
  passed: boolean;
  trigger: string;
  message: string;
  createdAt: Date;
}

/** Pure: rows (any order) → exerciseId → summary. Failed tries after the first pass are not counted. */
export function summarizeAttempts(rows: readonly AttemptRow[]): Record<string, ExerciseAttemptSummary> {
  const out: Record<string, ExerciseAttemptSummary> = {};
  const sorted = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const r of sorted) {
    const s = (out[r.exerciseId] ??= { failedChecks: 0, passedAt: null, lastMessage: null });
    if (s.passedAt) continue;
    if (r.passed) {
      s.passedAt = r.createdAt.toISOString();
      s.lastMessage = null;
      continue;
    }
    if (r.trigger === "manual") s.failedChecks++;
    if (s.failedChecks > 0) s.lastMessage = r.message;
  }
  return out;
}

/** The viewer's own attempts only (no one reads another learner's history through this). */
export async function readLessonAttempts(client: Db, viewer: Viewer, lessonId: string): Promise<Record<string, ExerciseAttemptSummary>> {
  assertId("lessonId", lessonId);
  const rows = await client.exerciseAttempt.findMany({
    where: { userId: viewer.userId, lessonId },
    select: { exerciseId: true, passed: true, trigger: true, message: true, createdAt: true },
  });
  return summarizeAttempts(rows);
}

export async function getMyLessonAttempts(lessonId: string): Promise<Record<string, ExerciseAttemptSummary>> {
  const viewer = await getViewer();
  return viewer ? readLessonAttempts(db(), viewer, lessonId) : {};
}

/**
 * The viewer's own rows a Check run needs of one lesson (attempts, hints, solutions), read in
 * parallel with the Viewer already loaded: one round of reads per trigger.
 */
export async function readLessonCheckState(
  client: Db,
  viewer: Viewer,
  lessonId: string,
): Promise<{ attempts: AttemptRow[]; hintsShown: Record<string, number>; solutionsOpened: Set<string> }> {
  assertId("lessonId", lessonId);
  const where = { userId: viewer.userId, lessonId };
  const [attempts, hints, solutions] = await Promise.all([
    client.exerciseAttempt.findMany({ where, select: { exerciseId: true, passed: true, trigger: true, message: true, createdAt: true } }),
    client.hintOpened.findMany({ where, select: { exerciseId: true } }),
    client.solutionOpened.findMany({ where, select: { exerciseId: true } }),
  ]);
  const hintsShown: Record<string, number> = {};
  for (const h of hints) hintsShown[h.exerciseId] = (hintsShown[h.exerciseId] ?? 0) + 1;
  return { attempts, hintsShown, solutionsOpened: new Set(solutions.map((s) => s.exerciseId)) };
}

/**
 * The instructor's roster × exercises matrix, derived from learning records. Pure: the DAL loads
 * rows, this turns them into cells, the stuck ordering and CSV lines, so the page, the live
 * updates and the export all agree.
 */
import { isStuck, STUCK_FAILED_CHECKS } from "../stuck";

export { STUCK_FAILED_CHECKS };

export type CellStatus = "passed" | "stuck" | "trying" | "notStarted";

export interface ExerciseColumn {
  lessonId: string;
  exerciseId: string;
}

export interface LearnerRow {
  userId: string;
  name: string | null;
  email: string | null;
  joinedAt: Date;
}

/** The records the matrix needs, for the class's learners only (the DAL filters). */
export interface MatrixInput {
  /** trigger: "manual" when the learner pressed Check, "auto" for the background run after each command */
  attempts: { userId: string; lessonId: string; exerciseId: string; passed: boolean; trigger: string; createdAt: Date }[];
  hints: { userId: string; exerciseId: string; createdAt: Date }[];
  solutions: { userId: string; exerciseId: string; createdAt: Date }[];
  visits: { userId: string; lessonId: string; firstVisitedAt: Date; lastVisitedAt: Date }[];
}

export interface Cell {
  status: CellStatus;
  /** Checks the learner pressed, plus the passing one (failed automatic Checks are not tries) */
  checks: number;
  /** failed manual Checks */
  failedChecks: number;
  hints: number;
  solutionOpened: boolean;
  /** from the first visit of the exercise's lesson to the first pass (or the last activity), in seconds */
  timeSpentSec: number | null;
  lastActivity: string | null;
  /** ISO time of the first pass, null while not passed (the score's due-date rule needs it) */
  passedAt: string | null;
}

export interface MatrixRow {
  learner: { userId: string; name: string | null; email: string | null };
  cells: Record<string, Cell>;
  passed: number;
  stuck: number;
  lastActivity: string | null;
  /** the learner raised their hand (asked for help) and nobody lowered it yet */
  hand?: boolean;
}

/** What "Só alunos travados" keeps: learners stuck on an exercise or asking for help. */
export function needsHelp(r: MatrixRow): boolean {
  return r.stuck > 0 || !!r.hand;
}

export function cellKey(c: ExerciseColumn): string {
  return `${c.lessonId}/${c.exerciseId}`;
}

function later(a: Date | null, b: Date): Date {
  return a && a > b ? a : b;
}

/** `now` decides the time part of "stuck" (see app/_lib/stuck.ts). */
export function buildMatrix(
  learners: readonly LearnerRow[],
  columns: readonly ExerciseColumn[],
  input: MatrixInput,
  now: Date = new Date(),
): MatrixRow[] {
  const lessonOf = new Map(columns.map((c) => [c.exerciseId, c.lessonId]));
  const k = (userId: string, exerciseId: string) => `${userId}\u0000${exerciseId}`;
  type Acc = {
    checks: number;
    failed: number;
    firstFailed: Date | null;
    firstPass: Date | null;
    last: Date | null;
    hints: number;
    solution: boolean;
  };
  const acc = new Map<string, Acc>();
  const get = (userId: string, exerciseId: string) => {
    const key = k(userId, exerciseId);
    let a = acc.get(key);
    if (!a) acc.set(key, (a = { checks: 0, failed: 0, firstFailed: null, firstPass: null, last: null, hints: 0, solution: false }));
    return a;
  };
  // Oldest first, so failures after the first pass are not counted.
  const attempts = [...input.attempts].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
  for (const at of attempts) {
    if (!lessonOf.has(at.exerciseId)) continue;
    // A failed automatic Check is the background run after some command: not a try of this exercise.
    if (!at.passed && at.trigger !== "manual") continue;
    const a = get(at.userId, at.exerciseId);
    if (a.firstPass) {
      if (at.trigger === "manual") a.checks++;
      a.last = later(a.last, at.createdAt);
      continue;
    }
    a.checks++;
    if (at.passed) a.firstPass = at.createdAt;
    else {
      a.failed++;
      a.firstFailed ??= at.createdAt;
    }
    a.last = later(a.last, at.createdAt);
  }
  for (const h of input.hints) {
    if (!lessonOf.has(h.exerciseId)) continue;
    const a = get(h.userId, h.exerciseId);
    a.hints++;
    a.last = later(a.last, h.createdAt);
  }
  for (const s of input.solutions) {
    if (!lessonOf.has(s.exerciseId)) continue;
    const a = get(s.userId, s.exerciseId);
    a.solution = true;
    a.last = later(a.last, s.createdAt);
  }
  const firstVisit = new Map(input.visits.map((v) => [k(v.userId, v.lessonId), v.firstVisitedAt]));
  const lastVisit = new Map<string, Date>();
  for (const v of input.visits) lastVisit.set(v.userId, later(lastVisit.get(v.userId) ?? null, v.lastVisitedAt));

  return learners.map((l) => {
    const cells: Record<string, Cell> = {};
    let passed = 0;
    let stuck = 0;
    let rowLast: Date | null = lastVisit.get(l.userId) ?? null;
    for (const col of columns) {
      const a = acc.get(k(l.userId, col.exerciseId));
      const status: CellStatus = !a
        ? "notStarted"
        : a.firstPass
          ? "passed"
          : isStuck({ passed: false, failedChecks: a.failed, solutionOpened: a.solution, firstFailedAt: a.firstFailed }, now)
            ? "stuck"
            : a.checks > 0 || a.hints > 0
              ? "trying"
              : "notStarted";
      if (status === "passed") passed++;
      if (status === "stuck") stuck++;
      const start = firstVisit.get(k(l.userId, col.lessonId));
      const end = a?.firstPass ?? a?.last ?? null;
      if (a?.last) rowLast = later(rowLast, a.last);
      cells[cellKey(col)] = {
        status,
        checks: a?.checks ?? 0,
        failedChecks: a?.failed ?? 0,
        hints: a?.hints ?? 0,
        solutionOpened: a?.solution ?? false,
        timeSpentSec: start && end && end >= start ? Math.round((end.getTime() - start.getTime()) / 1000) : null,
        lastActivity: a?.last?.toISOString() ?? null,
        passedAt: a?.firstPass?.toISOString() ?? null,
      };
    }
    return {
      learner: { userId: l.userId, name: l.name, email: l.email },
      cells,
      passed,
      stuck,
      lastActivity: rowLast?.toISOString() ?? null,
    };
  });
}

export type MatrixOrder = "stuck" | "name" | "progress" | "activity";

/** Sorts rows: "stuck" puts learners with stuck exercises first (most stuck, then least progress). */
export function sortRows(rows: readonly MatrixRow[], order: MatrixOrder): MatrixRow[] {
  const name = (r: MatrixRow) => (r.learner.name || r.learner.email || r.learner.userId).toLocaleLowerCase();
  const byName = (a: MatrixRow, b: MatrixRow) => name(a).localeCompare(name(b));
  const copy = [...rows];
  switch (order) {
    case "stuck":
      // A raised hand first: the learner asked for help.
      return copy.sort((a, b) => Number(!!b.hand) - Number(!!a.hand) || b.stuck - a.stuck || a.passed - b.passed || byName(a, b));
    case "progress":
      return copy.sort((a, b) => b.passed - a.passed || byName(a, b));
    case "activity":
      return copy.sort((a, b) => (b.lastActivity ?? "").localeCompare(a.lastActivity ?? "") || byName(a, b));
    default:
      return copy.sort(byName);
  }
}

// ---------- CSV ----------

/** One CSV field: quoted when needed; a leading = + - @ is neutralised so spreadsheets do not run it as a formula. */
export function csvField(value: string | number | boolean | null): string {
  if (value === null) return "";
  let s = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_HEADER = [
  "class",
  "learner_id",
  "learner_name",
  "learner_email",
  "lesson_id",
  "exercise_id",
  "status",
  "checks",
  "failed_checks",
  "hints",
  "solution_opened",
  "time_spent_seconds",
  "last_activity",
] as const;

/** The class's progress as CSV: a header, then one line per learner × exercise (RFC 4180, CRLF). */
export function matrixCsv(className: string, columns: readonly ExerciseColumn[], rows: readonly MatrixRow[]): string {
  const lines = [CSV_HEADER.join(",")];
  for (const r of rows) {
    for (const col of columns) {
      const c = r.cells[cellKey(col)]!;
      lines.push(
        [
          className,
          r.learner.userId,
          r.learner.name,
          r.learner.email,
          col.lessonId,
          col.exerciseId,
          c.status,
          c.checks,
          c.failedChecks,
          c.hints,
          c.solutionOpened,
          c.timeSpentSec,
          c.lastActivity,
        ]
          .map(csvField)
          .join(","),
      );
    }
  }
  return lines.join("\r\n") + "\r\n";
}

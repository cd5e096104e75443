/**
 * Grades: the per-learner score and the CSV shapes of a class (pure, no I/O; the DAL loads rows).
 *
 * The score (documented in docs/instructors.md) counts the class's items: every exercise and every
 * quiz question of the lessons the class is assigned (the whole course when nothing is assigned).
 * - an exercise is worth 1 when its first pass came by its lesson's due date (or there is none),
 *   0.5 when it passed after the due date, 0 when it has not passed;
 * - a quiz question is worth 1 when the learner's first answer was right, 0.5 when a later answer
 *   is right, 0 otherwise.
 * score = round(100 × points / items), null when the class has no items.
 */
import { cellKey, csvField, type ExerciseColumn, type MatrixRow } from "./class-matrix";

export interface QuizColumn {
  lessonId: string;
  questionId: string;
}

export interface QuizAnswerRow {
  userId: string;
  lessonId: string;
  questionId: string;
  choice: string;
  correct: boolean;
  createdAt: Date;
}

export type QuizStatus = "correct" | "retried" | "wrong" | "unanswered";

export interface QuizCell {
  status: QuizStatus;
  answers: number;
  /** the latest choice (the learner's current answer), null when unanswered */
  choice: string | null;
}

export function quizKey(q: QuizColumn): string {
  return `${q.lessonId}/${q.questionId}`;
}

/** Each learner's quiz cells: first answer right → correct; right later → retried; else wrong. */
export function quizCells(
  userIds: readonly string[],
  questions: readonly QuizColumn[],
  answers: readonly QuizAnswerRow[],
): Map<string, Record<string, QuizCell>> {
  const sorted = [...answers].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const byUser = new Map<string, Map<string, QuizAnswerRow[]>>();
  for (const a of sorted) {
    let m = byUser.get(a.userId);
    if (!m) byUser.set(a.userId, (m = new Map()));
    const k = quizKey(a);
    m.set(k, [...(m.get(k) ?? []), a]);
  }
  const out = new Map<string, Record<string, QuizCell>>();
  for (const u of userIds) {
    const cells: Record<string, QuizCell> = {};
    for (const q of questions) {
      const list = byUser.get(u)?.get(quizKey(q)) ?? [];
      const last = list[list.length - 1];
      cells[quizKey(q)] = {
        status: !last ? "unanswered" : list[0]!.correct ? "correct" : last.correct ? "retried" : "wrong",
        answers: list.length,
        choice: last?.choice ?? null,
      };
    }
    out.set(u, cells);
  }
  return out;
}

export interface ScoreInput {
  columns: readonly ExerciseColumn[];
  questions: readonly QuizColumn[];
  /** lessonId → due date (lessons without one are absent) */
  due: ReadonlyMap<string, Date>;
  /** exercise key → first pass time (absent when not passed) */
  firstPass: ReadonlyMap<string, Date>;
  quiz: Readonly<Record<string, QuizCell>>;
}

export function exercisePoints(lessonDue: Date | undefined, firstPass: Date | undefined): number {
  if (!firstPass) return 0;
  return lessonDue && firstPass > lessonDue ? 0.5 : 1;
}

export function quizPoints(cell: QuizCell | undefined): number {
  return cell?.status === "correct" ? 1 : cell?.status === "retried" ? 0.5 : 0;
}

/** The learner's score, 0–100, or null when there is nothing to score. */
export function score(s: ScoreInput): number | null {
  const items = s.columns.length + s.questions.length;
  if (items === 0) return null;
  let points = 0;
  for (const c of s.columns) points += exercisePoints(s.due.get(c.lessonId), s.firstPass.get(cellKey(c)));
  for (const q of s.questions) points += quizPoints(s.quiz[quizKey(q)]);
  return Math.round((100 * points) / items);
}

/** A matrix row with its grades, as the page, the live updates and the CSVs show it. */
export interface GradedRow extends MatrixRow {
  quiz: Record<string, QuizCell>;
  quizCorrect: number;
  score: number | null;
}

export const WIDE_FIXED = ["class", "learner_id", "learner_name", "learner_email", "score", "exercises_passed", "quiz_correct"] as const;

/**
 * One row per learner: the fixed columns, then one column per exercise (`lesson/exercise`, its
 * status) and one per quiz question (`quiz:lesson/question`, correct/retried/wrong/unanswered).
 */
export function wideCsv(
  className: string,
  columns: readonly ExerciseColumn[],
  questions: readonly QuizColumn[],
  rows: readonly GradedRow[],
): string {
  const header = [...WIDE_FIXED, ...columns.map(cellKey), ...questions.map((q) => `quiz:${quizKey(q)}`)];
  const lines = [header.map(csvField).join(",")];
  for (const r of rows) {
    lines.push(
      [
        className,
        r.learner.userId,
        r.learner.name,
        r.learner.email,
        r.score,
        r.passed,
        r.quizCorrect,
        ...columns.map((c) => r.cells[cellKey(c)]!.status),
        ...questions.map((q) => r.quiz[quizKey(q)]?.status ?? "unanswered"),
      ]
        .map(csvField)
        .join(","),
    );
  }
  return lines.join("\r\n") + "\r\n";
}

/**
 * The quiz part of the long format: one line per learner × question, in the long CSV's columns
 * (exercise_id is `quiz:<question>`, status correct/retried/wrong/unanswered, checks = answers).
 */
export function quizLongLines(className: string, questions: readonly QuizColumn[], rows: readonly GradedRow[]): string[] {
  const lines: string[] = [];
  for (const r of rows) {
    for (const q of questions) {
      const c = r.quiz[quizKey(q)] ?? { status: "unanswered", answers: 0, choice: null };
      lines.push(
        [
          className,
          r.learner.userId,
          r.learner.name,
          r.learner.email,
          q.lessonId,
          `quiz:${q.questionId}`,
          c.status,
          c.answers,
          null,
          null,
          null,
          null,
          null,
        ]
          .map(csvField)
          .join(","),
      );
    }
  }
  return lines;
}

/** Adds quiz cells and the score to the matrix's rows. */
export function gradeRows(
  rows: readonly MatrixRow[],
  columns: readonly ExerciseColumn[],
  questions: readonly QuizColumn[],
  due: ReadonlyMap<string, Date>,
  answers: readonly QuizAnswerRow[],
): GradedRow[] {
  const quiz = quizCells(
    rows.map((r) => r.learner.userId),
    questions,
    answers,
  );
  return rows.map((r) => {
    const q = quiz.get(r.learner.userId) ?? {};
    const firstPass = new Map<string, Date>();
    for (const c of columns) {
      const at = r.cells[cellKey(c)]?.passedAt;
      if (at) firstPass.set(cellKey(c), new Date(at));
    }
    return {
      ...r,
      quiz: q,
      quizCorrect: Object.values(q).filter((c) => c.status === "correct" || c.status === "retried").length,
      score: score({ columns, questions, due, firstPass, quiz: q }),
    };
  });
}

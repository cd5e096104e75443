import { describe, expect, it } from "vitest";
import { buildMatrix, matrixCsv, type ExerciseColumn } from "./class-matrix";
import { exercisePoints, gradeRows, quizCells, quizLongLines, score, wideCsv, type QuizColumn } from "./grades";

const t = (min: number) => new Date(Date.UTC(2026, 10, 30, 9, min));
const cols: ExerciseColumn[] = [
  { lessonId: "01-a", exerciseId: "e1" },
  { lessonId: "02-b", exerciseId: "e2" },
];
const qs: QuizColumn[] = [
  { lessonId: "01-a", questionId: "q1" },
  { lessonId: "01-a", questionId: "q2" },
];
const learners = [
  { userId: "u1", name: "Ana", email: "ana@x.org", joinedAt: t(0) },
  { userId: "u2", name: "Bia, a 2ª", email: null, joinedAt: t(0) },
];
const rows = buildMatrix(
  learners,
  cols,
  {
    attempts: [
      { userId: "u1", lessonId: "01-a", exerciseId: "e1", passed: true, trigger: "auto", createdAt: t(10) },
      { userId: "u1", lessonId: "02-b", exerciseId: "e2", passed: true, trigger: "manual", createdAt: t(40) },
    ],
    hints: [],
    solutions: [],
    visits: [],
  },
  t(60),
);
const answers = [
  { userId: "u1", lessonId: "01-a", questionId: "q1", choice: "a", correct: true, createdAt: t(1) },
  { userId: "u1", lessonId: "01-a", questionId: "q2", choice: "a", correct: false, createdAt: t(2) },
  { userId: "u1", lessonId: "01-a", questionId: "q2", choice: "b", correct: true, createdAt: t(3) },
  { userId: "u2", lessonId: "01-a", questionId: "q1", choice: "c", correct: false, createdAt: t(4) },
];

describe("the score formula", () => {
  it("gives an exercise 1 on time, 0.5 late, 0 not passed", () => {
    expect(exercisePoints(undefined, t(5))).toBe(1);
    expect(exercisePoints(t(30), t(5))).toBe(1);
    expect(exercisePoints(t(30), t(40))).toBe(0.5);
    expect(exercisePoints(t(30), undefined)).toBe(0);
  });

  it("rates quiz answers: first right, right after a retry, wrong, unanswered", () => {
    const q = quizCells(["u1", "u2"], qs, answers);
    expect(q.get("u1")).toEqual({
      "01-a/q1": { status: "correct", answers: 1, choice: "a" },
      "01-a/q2": { status: "retried", answers: 2, choice: "b" },
    });
    expect(q.get("u2")!["01-a/q1"]!.status).toBe("wrong");
    expect(q.get("u2")!["01-a/q2"]).toEqual({ status: "unanswered", answers: 0, choice: null });
  });

  it("is 100 × points / items over exercises and quiz questions, with the due date halving late passes", () => {
    // u1: e1 on time (1) + e2 after 02-b's due date (0.5) + q1 first try (1) + q2 retried (0.5) = 3 of 4
    const due = new Map([["02-b", t(30)]]);
    const graded = gradeRows(rows, cols, qs, due, answers);
    expect(graded[0]!.score).toBe(75);
    expect(graded[0]!.quizCorrect).toBe(2);
    // u2: nothing passed, the only answer wrong
    expect(graded[1]!.score).toBe(0);
    // without due dates, e2 counts fully: 3.5 of 4
    expect(gradeRows(rows, cols, qs, new Map(), answers)[0]!.score).toBe(88);
    expect(score({ columns: [], questions: [], due: new Map(), firstPass: new Map(), quiz: {} })).toBeNull();
  });
});

describe("the CSV shapes", () => {
  const graded = gradeRows(rows, cols, qs, new Map(), answers);

  it("wide: one row per learner, a column per exercise and per quiz question", () => {
    const lines = wideCsv("Turma", cols, qs, graded).split("\r\n");
    expect(lines).toHaveLength(1 + 2 + 1);
    expect(lines[0]).toBe(
      "class,learner_id,learner_name,learner_email,score,exercises_passed,quiz_correct,01-a/e1,02-b/e2,quiz:01-a/q1,quiz:01-a/q2",
    );
    expect(lines[1]).toBe("Turma,u1,Ana,ana@x.org,88,2,2,passed,passed,correct,retried");
    expect(lines[2]).toBe('Turma,u2,"Bia, a 2ª",,0,0,0,notStarted,notStarted,wrong,unanswered');
  });

  it("long: the exercise lines, then one line per learner × quiz question in the same columns", () => {
    const ex = matrixCsv("Turma", cols, graded).trimEnd().split("\r\n");
    const quiz = quizLongLines("Turma", qs, graded);
    expect(quiz).toHaveLength(2 * 2);
    expect(quiz[1]).toBe("Turma,u1,Ana,ana@x.org,01-a,quiz:q2,retried,2,,,,,");
    expect(quiz[0]!.split(",")).toHaveLength(ex[0]!.split(",").length);
  });
});

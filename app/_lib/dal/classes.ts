import type { Db } from "../db";
import { buildMatrix, type ExerciseColumn } from "./class-matrix";
import { gradeRows, type GradedRow, type QuizColumn } from "./grades";
import { newJoinCode, normalizeJoinCode } from "./join-code";
import { loadLearnerScope } from "./scope";
import { assertCanManageClass, assertId, canCreateClass, canObserveUser, ForbiddenError, type Viewer } from "./rules";

/**
 * Classes, enrollments and what instructors read about their learners. Every function takes the
 * Viewer first and checks it with ./rules.ts before reading a row: an instructor reaches only the
 * classes they teach and the learners enrolled in them; an admin reaches all.
 */

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} does not exist (or was removed).`);
    this.name = "NotFoundError";
  }
}

export interface ClassSummary {
  id: string;
  name: string;
  code: string;
  createdAt: Date;
  learners: number;
}

export async function createClass(db: Db, viewer: Viewer, name: string): Promise<ClassSummary> {
  if (!canCreateClass(viewer)) throw new ForbiddenError("creating a class (instructor accounts only)");
  const clean = typeof name === "string" ? name.trim().replace(/\s+/g, " ") : "";
  if (clean.length < 1 || clean.length > 100) throw new TypeError("The class name must have 1 to 100 characters.");
  for (let i = 0; ; i++) {
    try {
      const c = await db.class.create({ data: { name: clean, code: newJoinCode(), instructorId: viewer.userId } });
      return { id: c.id, name: c.name, code: c.code, createdAt: c.createdAt, learners: 0 };
    } catch (e) {
      // A code collision (31^8 codes) is retried; anything else is a real error.
      if (i >= 4 || !String((e as Error).message).includes("code")) throw e;
    }
  }
}

/** The classes the viewer teaches (an admin sees every class). */
export async function listClasses(db: Db, viewer: Viewer): Promise<ClassSummary[]> {
  if (!canCreateClass(viewer)) return [];
  const rows = await db.class.findMany({
    where: viewer.role === "admin" ? {} : { instructorId: viewer.userId },
    orderBy: { createdAt: "desc" },
    include: { _count: { select: { enrollments: true } } },
  });
  return rows.map((c) => ({ id: c.id, name: c.name, code: c.code, createdAt: c.createdAt, learners: c._count.enrollments }));
}

export async function loadManagedClass(db: Db, viewer: Viewer, classId: string) {
  assertId("classId", classId);
  const c = await db.class.findUnique({ where: { id: classId } });
  if (!c) throw new NotFoundError(`Class ${classId}`);
  assertCanManageClass(viewer, c);
  return c;
}

/** What the join page shows before joining: the class's name and its instructor's name. */
export async function findClassByCode(db: Db, code: string): Promise<{ id: string; name: string; instructorName: string | null } | null> {
  const c = normalizeJoinCode(code);
  if (!c) return null;
  const row = await db.class.findUnique({
    where: { code: c },
    select: { id: true, name: true, archivedAt: true, instructor: { select: { name: true } } },
  });
  return row && !row.archivedAt ? { id: row.id, name: row.name, instructorName: row.instructor.name } : null;
}

/** A signed-in learner joins a class with its code (joining twice is fine). Guests sign up first. */
export async function joinClass(db: Db, viewer: Viewer, code: string): Promise<{ classId: string; name: string }> {
  if (viewer.kind !== "account")
    throw new ForbiddenError("joining a class as a guest (create an account first: your progress comes along)");
  const c = normalizeJoinCode(code);
  const cls = c ? await db.class.findUnique({ where: { code: c } }) : null;
  if (!cls || cls.archivedAt) throw new NotFoundError(`A class with the code ${JSON.stringify(code)}`);
  if (cls.instructorId === viewer.userId) throw new ForbiddenError("joining your own class as a learner");
  await db.enrollment.upsert({
    where: { classId_userId: { classId: cls.id, userId: viewer.userId } },
    create: { classId: cls.id, userId: viewer.userId },
    update: {},
  });
  return { classId: cls.id, name: cls.name };
}

/** The classes the viewer joined as a learner. */
export async function myEnrollments(db: Db, viewer: Viewer): Promise<{ classId: string; name: string; joinedAt: Date }[]> {
  const rows = await db.enrollment.findMany({
    where: { userId: viewer.userId },
    include: { class: { select: { name: true } } },
    orderBy: { joinedAt: "desc" },
  });
  return rows.map((r) => ({ classId: r.classId, name: r.class.name, joinedAt: r.joinedAt }));
}

async function roster(db: Db, classId: string) {
  const rows = await db.enrollment.findMany({
    where: { classId },
    include: { user: { select: { id: true, name: true, email: true } } },
    orderBy: { joinedAt: "asc" },
  });
  return rows.map((r) => ({ userId: r.user.id, name: r.user.name, email: r.user.email, joinedAt: r.joinedAt }));
}

/**
 * The roster × exercises matrix of a class the viewer manages, with quiz answers, raised hands and
 * scores. When the class has assignments, only the assigned lessons' exercises and questions count.
 */
export async function classMatrix(
  db: Db,
  viewer: Viewer,
  classId: string,
  allColumns: readonly ExerciseColumn[],
  allQuestions: readonly QuizColumn[] = [],
): Promise<{
  name: string;
  code: string;
  archivedAt: Date | null;
  rows: GradedRow[];
  columns: ExerciseColumn[];
  questions: QuizColumn[];
  assignments: { lessonId: string; dueAt: Date | null }[];
}> {
  const cls = await loadManagedClass(db, viewer, classId);
  const learners = await roster(db, classId);
  const ids = learners.map((l) => l.userId);
  const where = { userId: { in: ids } };
  const [attempts, hints, solutions, visits, answers, hands, assignments] = await Promise.all([
    db.exerciseAttempt.findMany({
      where,
      select: { userId: true, lessonId: true, exerciseId: true, passed: true, trigger: true, createdAt: true },
    }),
    db.hintOpened.findMany({ where, select: { userId: true, exerciseId: true, createdAt: true } }),
    db.solutionOpened.findMany({ where, select: { userId: true, exerciseId: true, createdAt: true } }),
    db.lessonVisit.findMany({ where, select: { userId: true, lessonId: true, firstVisitedAt: true, lastVisitedAt: true } }),
    db.quizAnswer.findMany({
      where,
      select: { userId: true, lessonId: true, questionId: true, choice: true, correct: true, createdAt: true },
    }),
    db.helpRequest.findMany({ where: { classId, loweredAt: null }, select: { userId: true } }),
    db.assignment.findMany({ where: { classId }, select: { lessonId: true, dueAt: true } }),
  ]);
  const assigned = new Set(assignments.map((a) => a.lessonId));
  const columns = assigned.size ? allColumns.filter((c) => assigned.has(c.lessonId)) : [...allColumns];
  const questions = assigned.size ? allQuestions.filter((q) => assigned.has(q.lessonId)) : [...allQuestions];
  const due = new Map(assignments.flatMap((a) => (a.dueAt ? [[a.lessonId, a.dueAt] as const] : [])));
  const raised = new Set(hands.map((h) => h.userId));
  const rows = buildMatrix(learners, columns, { attempts, hints, solutions, visits }).map((r) => ({
    ...r,
    hand: raised.has(r.learner.userId),
  }));
  return {
    name: cls.name,
    code: cls.code,
    archivedAt: cls.archivedAt,
    rows: gradeRows(rows, columns, questions, due, answers),
    columns,
    questions,
    assignments,
  };
}

/**
 * A cheap fingerprint of the class's activity (newest record and counts): the live-update stream
 * recomputes the matrix only when it changes.
 */
export async function classActivityStamp(db: Db, viewer: Viewer, classId: string): Promise<string> {
  await loadManagedClass(db, viewer, classId);
  const ids = (await db.enrollment.findMany({ where: { classId }, select: { userId: true } })).map((e) => e.userId);
  const where = { userId: { in: ids } };
  const [a, h, s, q, v, hand, msg, asg, cls] = await Promise.all([
    db.exerciseAttempt.aggregate({ where, _count: true, _max: { createdAt: true } }),
    db.hintOpened.aggregate({ where, _count: true, _max: { createdAt: true } }),
    db.solutionOpened.aggregate({ where, _count: true, _max: { createdAt: true } }),
    db.quizAnswer.aggregate({ where, _count: true, _max: { createdAt: true } }),
    db.lessonVisit.aggregate({ where, _count: true, _max: { lastVisitedAt: true } }),
    // Hands raised or lowered, reset answers, assignments and the class itself change the matrix too.
    db.helpRequest.aggregate({ where: { classId }, _count: true, _max: { createdAt: true, loweredAt: true } }),
    db.classMessage.aggregate({ where: { classId }, _count: true, _max: { answeredAt: true } }),
    db.assignment.findMany({ where: { classId }, select: { lessonId: true, dueAt: true }, orderBy: { lessonId: "asc" } }),
    db.class.findUnique({ where: { id: classId }, select: { name: true, code: true, archivedAt: true } }),
  ]);
  return [
    ids.length,
    a._count,
    a._max.createdAt?.getTime(),
    h._count,
    h._max.createdAt?.getTime(),
    s._count,
    q._count,
    v._max.lastVisitedAt?.getTime(),
    hand._count,
    hand._max.createdAt?.getTime(),
    hand._max.loweredAt?.getTime(),
    msg._count,
    msg._max.answeredAt?.getTime(),
    JSON.stringify(asg),
    JSON.stringify(cls),
  ].join(":");
}

/** Checks that `learnerId` is in class `classId` and that the viewer manages the class. */
export async function loadManagedLearner(db: Db, viewer: Viewer, classId: string, learnerId: string) {
  assertId("learnerId", learnerId);
  const cls = await loadManagedClass(db, viewer, classId);
  const e = await db.enrollment.findUnique({
    where: { classId_userId: { classId, userId: learnerId } },
    include: { user: { select: { id: true, name: true, email: true } } },
  });
  if (!e) throw new ForbiddenError(`reading user ${learnerId}, who is not in class ${classId}`);
  return { cls, learner: e.user, joinedAt: e.joinedAt };
}

export type TimelineEvent =
  | { kind: "check"; at: Date; lessonId: string; exerciseId: string; passed: boolean; message: string; trigger: string; durationMs: number }
  | { kind: "hint"; at: Date; lessonId: string; exerciseId: string; index: number }
  | { kind: "solution"; at: Date; lessonId: string; exerciseId: string }
  | { kind: "quiz"; at: Date; lessonId: string; questionId: string; choice: string; correct: boolean }
  | { kind: "visit"; at: Date; lessonId: string; visits: number }
  | { kind: "sandbox"; at: Date; sandboxId: string; endedAt: Date | null; endReason: string | null };

/** Everything a learner did, newest first: Checks (with their messages), hints, solutions, quiz answers, visits, sandboxes. */
export async function learnerTimeline(db: Db, viewer: Viewer, classId: string, learnerId: string): Promise<TimelineEvent[]> {
  await loadManagedLearner(db, viewer, classId, learnerId);
  const where = { userId: learnerId };
  const [attempts, hints, solutions, quiz, visits, sandboxes] = await Promise.all([
    db.exerciseAttempt.findMany({ where, orderBy: { createdAt: "desc" }, take: 500 }),
    db.hintOpened.findMany({ where }),
    db.solutionOpened.findMany({ where }),
    db.quizAnswer.findMany({ where, orderBy: { createdAt: "desc" }, take: 500 }),
    db.lessonVisit.findMany({ where }),
    db.sandboxSession.findMany({ where, orderBy: { createdAt: "desc" }, take: 50 }),
  ]);
  const events: TimelineEvent[] = [
    ...attempts.map((a) => ({
      kind: "check" as const,
      at: a.createdAt,
      lessonId: a.lessonId,
      exerciseId: a.exerciseId,
      passed: a.passed,
      message: a.message,
      trigger: a.trigger,
      durationMs: a.durationMs,
    })),
    ...hints.map((h) => ({ kind: "hint" as const, at: h.createdAt, lessonId: h.lessonId, exerciseId: h.exerciseId, index: h.index })),
    ...solutions.map((s) => ({ kind: "solution" as const, at: s.createdAt, lessonId: s.lessonId, exerciseId: s.exerciseId })),
    ...quiz.map((q) => ({
      kind: "quiz" as const,
      at: q.createdAt,
      lessonId: q.lessonId,
      questionId: q.questionId,
      choice: q.choice,
      correct: q.correct,
    })),
    ...visits.map((v) => ({ kind: "visit" as const, at: v.firstVisitedAt, lessonId: v.lessonId, visits: v.visits })),
    ...sandboxes.map((s) => ({
      kind: "sandbox" as const,
      at: s.createdAt,
      sandboxId: s.sandboxId,
      endedAt: s.endedAt,
      endReason: s.endReason,
    })),
  ];
  return events.sort((a, b) => b.at.getTime() - a.at.getTime());
}

/**
 * A learner's sandbox, for replaying or shadowing it: the viewer must be allowed to observe its
 * owner (instructor of one of their classes, or admin). Returns the owner and the DB session.
 */
export async function loadObservableSandbox(db: Db, viewer: Viewer, sandboxId: string) {
  assertId("sandboxId", sandboxId);
  const s = await db.sandboxSession.findUnique({ where: { sandboxId }, include: { recordings: true } });
  if (!s) throw new NotFoundError(`Sandbox ${sandboxId}`);
  if (!canObserveUser(viewer, s.userId, await loadLearnerScope(db, s.userId))) {
    throw new ForbiddenError(`watching sandbox ${sandboxId}, whose learner is not in one of your classes`);
  }
  return s;
}

/** A learner's sandbox sessions (newest first) with their known recordings, for a class the viewer manages. */
export async function learnerSandboxes(db: Db, viewer: Viewer, classId: string, learnerId: string) {
  await loadManagedLearner(db, viewer, classId, learnerId);
  return db.sandboxSession.findMany({
    where: { userId: learnerId },
    orderBy: { createdAt: "desc" },
    take: 20,
    include: { recordings: true },
  });
}

/** Remembers a Terminal recording of a sandbox the viewer may observe (found through the runner). */
export async function noteRecording(db: Db, viewer: Viewer, sandboxId: string, terminalId: string, path: string): Promise<void> {
  assertId("terminalId", terminalId);
  const s = await loadObservableSandbox(db, viewer, sandboxId);
  await db.terminalRecording.upsert({
    where: { sandboxSessionId_terminalId: { sandboxSessionId: s.id, terminalId } },
    create: { sandboxSessionId: s.id, terminalId, path },
    update: {},
  });
}

/** Roles: admins promote or demote accounts (the CLI does the same for the first admin). */
export async function setRole(db: Db, viewer: Viewer, userId: string, role: "learner" | "instructor" | "admin"): Promise<void> {
  if (!(viewer.kind === "account" && viewer.role === "admin")) throw new ForbiddenError("changing roles (admins only)");
  assertId("userId", userId);
  if (!["learner", "instructor", "admin"].includes(role))
    throw new TypeError(`role ${JSON.stringify(role)} must be learner, instructor or admin`);
  const u = await db.user.findUnique({ where: { id: userId }, select: { kind: true } });
  if (u?.kind !== "account") throw new NotFoundError(`Account ${userId}`);
  await db.user.update({ where: { id: userId }, data: { role } });
}

export async function listAccounts(db: Db, viewer: Viewer) {
  if (!(viewer.kind === "account" && viewer.role === "admin")) throw new ForbiddenError("listing accounts (admins only)");
  return db.user.findMany({
    where: { kind: "account" },
    orderBy: { createdAt: "asc" },
    select: { id: true, email: true, name: true, role: true, createdAt: true },
  });
}

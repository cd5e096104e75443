import type { Db } from "../db";
import { assertId, ForbiddenError, type Viewer } from "./rules";
import { assertMayRead } from "./scope";

/**
 * Learning records in the database. Every function takes the Viewer first and checks it against
 * the owner before touching rows: writes always go to the viewer's own records, reads of someone
 * else's records need an admin or the instructor of one of the owner's classes. Server actions and pages use the bound versions in
 * `./index.ts`, which establish the Viewer from the signed guest cookie.
 */

export interface CourseRecords {
  /** lessonId → ids of exercises with at least one passing Check */
  passed: Record<string, string[]>;
  lastVisitedLessonId: string | null;
}

export interface LessonRecords {
  passedExerciseIds: string[];
  hintsOpened: Record<string, number[]>;
  solutionsOpened: string[];
  /** questionId → the latest answer */
  quizAnswers: Record<string, { choice: string; correct: boolean }>;
}

/** The Viewer for a user id: its row's kind and role, or a fresh guest learner when no row exists yet. */
export async function loadViewer(db: Db, userId: string): Promise<Viewer> {
  const row = await db.user.findUnique({ where: { id: userId }, select: { kind: true, role: true, claimedById: true } });
  if (!row) return { userId, kind: "guest", role: "learner" };
  // A claimed guest's records belong to the account now; the guest id keeps only learner rights.
  return { userId, kind: row.kind, role: row.claimedById ? "learner" : row.role };
}

/** Makes sure the viewer's row exists (guests get one on their first write). */
export async function ensureUser(db: Db, viewer: Viewer): Promise<void> {
  await db.user.upsert({
    where: { id: viewer.userId },
    create: { id: viewer.userId, kind: viewer.kind, role: "learner" },
    update: { lastSeenAt: new Date() },
  });
}

export async function readCourseRecords(db: Db, viewer: Viewer, ownerId: string = viewer.userId): Promise<CourseRecords> {
  await assertMayRead(db, viewer, ownerId);
  const [passedRows, lastVisit] = await Promise.all([
    db.exerciseAttempt.findMany({
      where: { userId: ownerId, passed: true },
      distinct: ["lessonId", "exerciseId"],
      select: { lessonId: true, exerciseId: true },
    }),
    db.lessonVisit.findFirst({ where: { userId: ownerId }, orderBy: { lastVisitedAt: "desc" }, select: { lessonId: true } }),
  ]);
  const passed: Record<string, string[]> = {};
  for (const r of passedRows) (passed[r.lessonId] ??= []).push(r.exerciseId);
  return { passed, lastVisitedLessonId: lastVisit?.lessonId ?? null };
}

export async function readLessonRecords(db: Db, viewer: Viewer, lessonId: string, ownerId: string = viewer.userId): Promise<LessonRecords> {
  await assertMayRead(db, viewer, ownerId);
  assertId("lessonId", lessonId);
  const where = { userId: ownerId, lessonId };
  const [passedRows, hints, solutions, answers] = await Promise.all([
    db.exerciseAttempt.findMany({ where: { ...where, passed: true }, distinct: ["exerciseId"], select: { exerciseId: true } }),
    db.hintOpened.findMany({ where, orderBy: { index: "asc" }, select: { exerciseId: true, index: true } }),
    db.solutionOpened.findMany({ where, select: { exerciseId: true } }),
    db.quizAnswer.findMany({ where, orderBy: { createdAt: "asc" }, select: { questionId: true, choice: true, correct: true } }),
  ]);
  const hintsOpened: Record<string, number[]> = {};
  for (const h of hints) (hintsOpened[h.exerciseId] ??= []).push(h.index);
  const quizAnswers: LessonRecords["quizAnswers"] = {};
  for (const a of answers) quizAnswers[a.questionId] = { choice: a.choice, correct: a.correct };
  return {
    passedExerciseIds: passedRows.map((r) => r.exerciseId),
    hintsOpened,
    solutionsOpened: solutions.map((s) => s.exerciseId),
    quizAnswers,
  };
}

export async function recordLessonVisit(db: Db, viewer: Viewer, lessonId: string): Promise<void> {
  assertId("lessonId", lessonId);
  await ensureUser(db, viewer);
  await db.lessonVisit.upsert({
    where: { userId_lessonId: { userId: viewer.userId, lessonId } },
    create: { userId: viewer.userId, lessonId },
    update: { lastVisitedAt: new Date(), visits: { increment: 1 } },
  });
}

export async function recordQuizAnswer(
  db: Db,
  viewer: Viewer,
  a: { lessonId: string; questionId: string; choice: string; correct: boolean },
): Promise<void> {
  assertId("lessonId", a.lessonId);
  assertId("questionId", a.questionId);
  assertId("choice", a.choice);
  await ensureUser(db, viewer);
  await db.quizAnswer.create({ data: { userId: viewer.userId, ...a } });
}

export async function recordHintOpened(db: Db, viewer: Viewer, h: { lessonId: string; exerciseId: string; index: number }): Promise<void> {
  assertId("lessonId", h.lessonId);
  assertId("exerciseId", h.exerciseId);
  if (!Number.isInteger(h.index) || h.index < 0 || h.index > 99)
    throw new TypeError(`hint index ${h.index} must be an integer from 0 to 99`);
  await ensureUser(db, viewer);
  await db.hintOpened.upsert({
    where: { userId_exerciseId_index: { userId: viewer.userId, exerciseId: h.exerciseId, index: h.index } },
    create: { userId: viewer.userId, ...h },
    update: {},
  });
}

export async function recordSolutionOpened(db: Db, viewer: Viewer, s: { lessonId: string; exerciseId: string }): Promise<void> {
  assertId("lessonId", s.lessonId);
  assertId("exerciseId", s.exerciseId);
  await ensureUser(db, viewer);
  await db.solutionOpened.upsert({
    where: { userId_exerciseId: { userId: viewer.userId, exerciseId: s.exerciseId } },
    create: { userId: viewer.userId, ...s },
    update: {},
  });
}

export interface AttemptInput {
  lessonId: string;
  exerciseId: string;
  passed: boolean;
  message: string;
  durationMs: number;
  trigger: "auto" | "manual";
  /** the runner's sandbox id the Check ran in, if any */
  sandboxId?: string;
  /** Set by the outbox (./outbox.ts): a kept attempt is written later with its own id and time, so a retry never doubles it. */
  id?: string;
  createdAt?: Date;
}

export async function recordExerciseAttempt(db: Db, viewer: Viewer, a: AttemptInput): Promise<{ id: string }> {
  assertId("lessonId", a.lessonId);
  assertId("exerciseId", a.exerciseId);
  await ensureUser(db, viewer);
  let sandboxSessionId: string | null = null;
  if (a.sandboxId) {
    const s = await ownSandboxSession(db, viewer, a.sandboxId);
    sandboxSessionId = s.id;
  }
  return db.exerciseAttempt.create({
    data: {
      userId: viewer.userId,
      lessonId: a.lessonId,
      exerciseId: a.exerciseId,
      passed: a.passed,
      message: a.message.slice(0, 4000),
      durationMs: Math.max(0, Math.round(a.durationMs)),
      trigger: a.trigger,
      sandboxSessionId,
      ...(a.id ? { id: a.id } : {}),
      ...(a.createdAt ? { createdAt: a.createdAt } : {}),
    },
    select: { id: true },
  });
}

async function ownSandboxSession(db: Db, viewer: Viewer, sandboxId: string) {
  assertId("sandboxId", sandboxId);
  const s = await db.sandboxSession.findUnique({ where: { sandboxId }, select: { id: true, userId: true, endedAt: true } });
  if (!s) throw new Error(`sandbox ${sandboxId} is not known to the app: open the terminal again to get a new sandbox`);
  if (s.userId !== viewer.userId) throw new ForbiddenError(`using sandbox ${sandboxId}, which belongs to someone else`);
  return s;
}

const RUNNER_NAME_RE = /^[a-z0-9.:-]{1,63}$/i;

/** The runner whose line the learner waits in, if any. */
export async function findQueuePlace(db: Db, viewer: Viewer): Promise<string | undefined> {
  const row = await db.queuePlace.findUnique({ where: { userId: viewer.userId }, select: { runner: true } });
  return row?.runner;
}

/** Records (a runner's name) or forgets (undefined) the line the learner waits in. */
export async function setQueuePlace(db: Db, viewer: Viewer, runner: string | undefined): Promise<void> {
  if (runner === undefined) {
    await db.queuePlace.deleteMany({ where: { userId: viewer.userId } });
    return;
  }
  if (!RUNNER_NAME_RE.test(runner)) throw new Error(`runner ${JSON.stringify(runner)} is not a runner name`);
  await ensureUser(db, viewer);
  await db.queuePlace.upsert({
    where: { userId: viewer.userId },
    create: { userId: viewer.userId, runner },
    update: { runner },
  });
}

export async function startSandboxSession(
  db: Db,
  viewer: Viewer,
  s: { sandboxId: string; lessonId?: string; runner?: string },
): Promise<{ id: string }> {
  assertId("sandboxId", s.sandboxId);
  if (s.lessonId !== undefined) assertId("lessonId", s.lessonId);
  if (s.runner !== undefined && !RUNNER_NAME_RE.test(s.runner)) throw new Error(`runner ${JSON.stringify(s.runner)} is not a runner name`);
  await ensureUser(db, viewer);
  return db.sandboxSession.create({
    data: { userId: viewer.userId, sandboxId: s.sandboxId, lessonId: s.lessonId ?? null, runner: s.runner ?? null },
    select: { id: true },
  });
}

export async function endSandboxSession(db: Db, viewer: Viewer, sandboxId: string, reason: string): Promise<void> {
  const s = await ownSandboxSession(db, viewer, sandboxId);
  if (s.endedAt) return;
  await db.sandboxSession.update({ where: { id: s.id }, data: { endedAt: new Date(), endReason: reason.slice(0, 200) } });
}

/** The viewer's sandbox that has not ended, newest first (the runner decides whether it still runs). */
export async function findOpenSandboxSession(
  db: Db,
  viewer: Viewer,
): Promise<{ sandboxId: string; createdAt: Date; runner: string | null } | null> {
  return db.sandboxSession.findFirst({
    where: { userId: viewer.userId, endedAt: null },
    orderBy: { createdAt: "desc" },
    select: { sandboxId: true, createdAt: true, runner: true },
  });
}

export async function addTerminalRecording(
  db: Db,
  viewer: Viewer,
  r: { sandboxId: string; terminalId: string; path: string; bytes?: number },
): Promise<void> {
  assertId("terminalId", r.terminalId);
  const s = await ownSandboxSession(db, viewer, r.sandboxId);
  await db.terminalRecording.upsert({
    where: { sandboxSessionId_terminalId: { sandboxSessionId: s.id, terminalId: r.terminalId } },
    create: { sandboxSessionId: s.id, terminalId: r.terminalId, path: r.path, bytes: r.bytes ?? null },
    update: { path: r.path, bytes: r.bytes ?? null },
  });
}

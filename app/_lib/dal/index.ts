import { db } from "../db";
import { currentOrNewUserId, currentUserId } from "./identity";
import { attemptOutbox, recordAttemptDurably, type AttemptSaved } from "./outbox-attempts";
import * as records from "./records";
import type { Viewer } from "./rules";
import { sessionUserId } from "./session";

/**
 * The data-access layer pages and server actions use. Each function establishes the Viewer from
 * the account session (better-auth) or else the signed guest cookie itself (callers never pass a user id), then applies the rules in ./rules.ts
 * through ./records.ts. Reads work without a cookie (an unknown visitor has no records); writes
 * issue a guest cookie when needed and so must run in a server action or route handler.
 */

export type { Viewer } from "./rules";
export type { CourseRecords, LessonRecords, AttemptInput } from "./records";
export { type AttemptSaved } from "./outbox-attempts";
export { OutboxFullError } from "./outbox";
export { ForbiddenError } from "./rules";

/** The caller, or null for a first visit without a (valid) guest cookie. */
export async function getViewer(): Promise<Viewer | null> {
  const id = (await sessionUserId()) ?? (await currentUserId());
  return id ? records.loadViewer(db(), id) : null;
}

/** The caller, creating a guest identity (cookie) when there is none. Server actions / route handlers only. */
export async function requireViewer(): Promise<Viewer> {
  return records.loadViewer(db(), (await sessionUserId()) ?? (await currentOrNewUserId()));
}

const EMPTY_COURSE: records.CourseRecords = { passed: {}, lastVisitedLessonId: null };
const EMPTY_LESSON: records.LessonRecords = { passedExerciseIds: [], hintsOpened: {}, solutionsOpened: [], quizAnswers: {} };

export async function getMyCourseRecords(): Promise<records.CourseRecords> {
  const viewer = await getViewer();
  return viewer ? records.readCourseRecords(db(), viewer) : EMPTY_COURSE;
}

export async function getMyLessonRecords(lessonId: string): Promise<records.LessonRecords> {
  const viewer = await getViewer();
  return viewer ? records.readLessonRecords(db(), viewer, lessonId) : EMPTY_LESSON;
}

export async function recordMyLessonVisit(lessonId: string): Promise<void> {
  await records.recordLessonVisit(db(), await requireViewer(), lessonId);
}

export async function recordMyQuizAnswer(a: { lessonId: string; questionId: string; choice: string; correct: boolean }): Promise<void> {
  await records.recordQuizAnswer(db(), await requireViewer(), a);
}

export async function recordMyHintOpened(h: { lessonId: string; exerciseId: string; index: number }): Promise<void> {
  await records.recordHintOpened(db(), await requireViewer(), h);
}

export async function recordMySolutionOpened(s: { lessonId: string; exerciseId: string }): Promise<void> {
  await records.recordSolutionOpened(db(), await requireViewer(), s);
}

/**
 * A Check result. When the database is busy or unwritable it is kept in DATA_DIR/outbox and written
 * later (`saved: "kept"`: tell the learner, message `exercises.kept`); OutboxFullError when not even that worked.
 */
export async function recordMyExerciseAttempt(a: records.AttemptInput): Promise<AttemptSaved> {
  // The id only (no database read): the viewer is loaded inside, where a busy database is handled.
  const userId = (await sessionUserId()) ?? (await currentOrNewUserId());
  return recordAttemptDurably(db(), attemptOutbox(), userId, a);
}

export async function startMySandboxSession(s: { sandboxId: string; lessonId?: string; runner?: string }): Promise<{ id: string }> {
  return records.startSandboxSession(db(), await requireViewer(), s);
}

export async function endMySandboxSession(sandboxId: string, reason: string): Promise<void> {
  await records.endSandboxSession(db(), await requireViewer(), sandboxId, reason);
}

/** The runner whose line I wait in (every runner was full): kept in the database, so an app restart keeps my place. */
export async function findMyQueuePlace(): Promise<string | undefined> {
  return records.findQueuePlace(db(), await requireViewer());
}

export async function setMyQueuePlace(runner: string | undefined): Promise<void> {
  await records.setQueuePlace(db(), await requireViewer(), runner);
}

export async function findMyOpenSandboxSession(): Promise<{ sandboxId: string; createdAt: Date; runner: string | null } | null> {
  const viewer = await getViewer();
  return viewer ? records.findOpenSandboxSession(db(), viewer) : null;
}

export async function addMyTerminalRecording(r: { sandboxId: string; terminalId: string; path: string; bytes?: number }): Promise<void> {
  await records.addTerminalRecording(db(), await requireViewer(), r);
}

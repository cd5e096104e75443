import { auth } from "../auth";
import { getCourse } from "../content";
import { db } from "../db";
import { getViewer, requireViewer } from "./index";
import * as classes from "./classes";
import type { ExerciseColumn } from "./class-matrix";
import type { QuizColumn } from "./grades";
import * as roster from "./roster";
import { ForbiddenError, type Viewer } from "./rules";

/**
 * The instructor side of the data-access layer, bound to the caller: each function establishes the
 * Viewer (account session or guest cookie) itself, then goes through ./classes.ts, whose rules
 * decide. Pages, route handlers and server actions use these, never Prisma.
 */
export { NotFoundError } from "./classes";
export type { TimelineEvent, ClassSummary } from "./classes";

async function signedIn(): Promise<Viewer> {
  const v = await getViewer();
  if (!v || v.kind !== "account") throw new ForbiddenError("this page without signing in (sign in first)");
  return v;
}

/** Every exercise of the course in course order: the matrix's columns. */
export async function exerciseColumns(): Promise<ExerciseColumn[]> {
  const course = await getCourse();
  return course.lessons.flatMap((l) => l.exercises.map((e) => ({ lessonId: l.id, exerciseId: e.id })));
}

/** Every quiz question of the course in course order (the quiz columns of the matrix and CSV). */
export async function quizColumns(): Promise<QuizColumn[]> {
  const course = await getCourse();
  // Question ids are the same in every language (the content loader checks it).
  return course.lessons.flatMap((l) => l.content["pt-BR"].quiz.map((q) => ({ lessonId: l.id, questionId: q.id })));
}

export async function getMyAccount() {
  const v = await getViewer();
  if (!v || v.kind !== "account") return null;
  const u = await db().user.findUnique({ where: { id: v.userId }, select: { id: true, email: true, name: true, role: true } });
  return u ? { ...u, role: v.role } : null;
}

export async function getMyClasses() {
  return classes.listClasses(db(), await signedIn());
}

export async function createMyClass(name: string) {
  return classes.createClass(db(), await signedIn(), name);
}

/** A class code (8 characters) or a one-time invite (12). */
export async function getClassByCode(code: string) {
  return (await roster.findClassByInvite(db(), code)) ?? classes.findClassByCode(db(), code);
}

export async function joinClassWithCode(code: string) {
  const viewer = await requireViewer();
  return (await roster.joinWithInvite(db(), viewer, code)) ?? classes.joinClass(db(), viewer, code);
}

export async function getMyEnrollments() {
  const v = await getViewer();
  return v ? classes.myEnrollments(db(), v) : [];
}

export async function getClassMatrix(classId: string) {
  return classes.classMatrix(db(), await signedIn(), classId, await exerciseColumns(), await quizColumns());
}

export async function getClassActivityStamp(classId: string) {
  return classes.classActivityStamp(db(), await signedIn(), classId);
}

/** The viewer, checked once for a long-lived stream (the SSE route re-checks through it each poll). */
export async function requireClassManager(classId: string): Promise<Viewer> {
  const v = await signedIn();
  await classes.loadManagedClass(db(), v, classId);
  return v;
}

export async function getManagedClass(classId: string) {
  return classes.loadManagedClass(db(), await signedIn(), classId);
}

export async function getLearner(classId: string, learnerId: string) {
  return classes.loadManagedLearner(db(), await signedIn(), classId, learnerId);
}

export async function getLearnerTimeline(classId: string, learnerId: string) {
  return classes.learnerTimeline(db(), await signedIn(), classId, learnerId);
}

export async function getLearnerSandboxes(classId: string, learnerId: string) {
  return classes.learnerSandboxes(db(), await signedIn(), classId, learnerId);
}

export async function getObservableSandbox(sandboxId: string) {
  return classes.loadObservableSandbox(db(), await signedIn(), sandboxId);
}

export async function noteRecording(sandboxId: string, terminalId: string, path: string) {
  return classes.noteRecording(db(), await signedIn(), sandboxId, terminalId, path);
}

export async function getAccounts() {
  return classes.listAccounts(db(), await signedIn());
}

export async function setAccountRole(userId: string, role: "learner" | "instructor" | "admin") {
  return classes.setRole(db(), await signedIn(), userId, role);
}

/**
 * For the live-update stream, which outlives the request: the Viewer is established once (above,
 * requireClassManager) and each poll re-checks it against the class through the same rules.
 */
export function classStampFor(viewer: Viewer, classId: string) {
  return classes.classActivityStamp(db(), viewer, classId);
}

export async function classMatrixFor(viewer: Viewer, classId: string) {
  return classes.classMatrix(db(), viewer, classId, await exerciseColumns(), await quizColumns());
}

// ---------- roster, messages, hands, assignments (./roster.ts decides who may) ----------

export async function renameMyClass(classId: string, name: string) {
  return roster.renameClass(db(), await signedIn(), classId, name);
}
export async function archiveMyClass(classId: string, archived: boolean) {
  return roster.setArchived(db(), await signedIn(), classId, archived);
}
export async function deleteMyClass(classId: string, confirmName: string) {
  return roster.deleteClass(db(), await signedIn(), classId, confirmName);
}
export async function rotateMyClassCode(classId: string) {
  return roster.rotateCode(db(), await signedIn(), classId);
}
export async function removeMyLearner(classId: string, learnerId: string) {
  return roster.removeLearner(db(), await signedIn(), classId, learnerId);
}
export async function inviteToMyClass(classId: string, list: string) {
  return roster.createInvites(db(), await signedIn(), classId, list);
}
export async function getInvites(classId: string) {
  return roster.listInvites(db(), await signedIn(), classId);
}
export async function messageMyClass(classId: string, toUserId: string | null, body: string) {
  return roster.sendMessage(db(), await signedIn(), classId, toUserId, body);
}
export async function askSandboxReset(classId: string, learnerId: string) {
  return roster.requestSandboxReset(db(), await signedIn(), classId, learnerId);
}
export async function getSentToLearner(classId: string, learnerId: string) {
  return roster.sentToLearner(db(), await signedIn(), classId, learnerId);
}
export async function lowerLearnerHand(classId: string, learnerId: string) {
  return roster.lowerHand(db(), await signedIn(), classId, learnerId);
}
export async function setMyClassAssignments(classId: string, list: roster.AssignmentInput[]) {
  const course = await getCourse();
  return roster.setAssignments(
    db(),
    await signedIn(),
    classId,
    list,
    course.lessons.map((l) => l.id),
  );
}
/** A one-time reset link's token for a learner of the viewer's class, stored where better-auth's reset flow reads it. */
export async function issueLearnerResetLink(classId: string, learnerId: string) {
  const ctx = await auth().$context;
  return roster.issueResetToken(db(), await signedIn(), classId, learnerId, async (userId, token, expiresAt) => {
    await ctx.internalAdapter.createVerificationValue({ identifier: `reset-password:${token}`, value: userId, expiresAt });
  });
}

export async function getMyFeed() {
  const v = await getViewer();
  return v ? roster.classroomFeed(db(), v) : { enrolled: false, messages: [], handRaised: false };
}
export async function answerMyResetRequest(messageId: string, accept: boolean) {
  return roster.answerResetRequest(db(), await signedIn(), messageId, accept);
}
export async function setMyHandRaised(raised: boolean, lessonId: string | null) {
  return roster.setMyHand(db(), await signedIn(), raised, lessonId);
}

export async function getRunningSandboxes(classId: string) {
  return roster.runningSandboxes(db(), await signedIn(), classId);
}
export async function getClassAssignments(classId: string) {
  await getManagedClass(classId);
  return roster.listAssignments(db(), classId);
}

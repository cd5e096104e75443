import { getCourse } from "../content";
import { db } from "../db";
import { getViewer, requireViewer } from "./index";
import * as classes from "./classes";
import type { ExerciseColumn } from "./class-matrix";
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

export async function getClassByCode(code: string) {
  return classes.findClassByCode(db(), code);
}

export async function joinClassWithCode(code: string) {
  return classes.joinClass(db(), await requireViewer(), code);
}

export async function getMyEnrollments() {
  const v = await getViewer();
  return v ? classes.myEnrollments(db(), v) : [];
}

export async function getClassMatrix(classId: string) {
  return classes.classMatrix(db(), await signedIn(), classId, await exerciseColumns());
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
  return classes.classMatrix(db(), viewer, classId, await exerciseColumns());
}

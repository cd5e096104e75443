/**
 * Who may read or write whose learning records: the only place these rules live, so pages,
 * server actions and the instructor dashboard cannot disagree. Pure.
 */
export type Role = "learner" | "instructor" | "admin";
export type UserKind = "guest" | "account";

/** The identity behind a request, as established by the data-access layer (never by the caller). */
export interface Viewer {
  userId: string;
  kind: UserKind;
  role: Role;
}

export class ForbiddenError extends Error {
  constructor(what: string) {
    super(`Not allowed: ${what}. Sign in with an account that has access, or open your own progress.`);
    this.name = "ForbiddenError";
  }
}

/**
 * Where a learner studies: the instructors of the classes they joined. The DAL loads it from the
 * database; the rules only compare ids.
 */
export interface LearnerScope {
  classInstructorIds: readonly string[];
}

function isStaffAccount(viewer: Viewer): boolean {
  return viewer.kind === "account" && (viewer.role === "instructor" || viewer.role === "admin");
}

/**
 * A learner sees only their own records; an instructor sees a learner's records only while that
 * learner is in one of the instructor's classes (`scope`); an admin sees everyone's.
 */
export function canReadUser(viewer: Viewer, ownerId: string, scope?: LearnerScope): boolean {
  if (viewer.userId === ownerId) return true;
  if (viewer.kind !== "account") return false;
  if (viewer.role === "admin") return true;
  return viewer.role === "instructor" && !!scope && scope.classInstructorIds.includes(viewer.userId);
}

/** Creating classes: instructor and admin accounts. */
export function canCreateClass(viewer: Viewer): boolean {
  return isStaffAccount(viewer);
}

/** A class's roster, matrix, export and events: its instructor, or an admin. */
export function canManageClass(viewer: Viewer, cls: { instructorId: string }): boolean {
  if (viewer.kind !== "account") return false;
  return viewer.role === "admin" || (viewer.role === "instructor" && cls.instructorId === viewer.userId);
}

export function assertCanManageClass(viewer: Viewer, cls: { id: string; instructorId: string }): void {
  if (!canManageClass(viewer, cls)) throw new ForbiddenError(`managing class ${cls.id}`);
}

/**
 * Watching a learner's Terminal live or replaying its recordings: the instructor of one of the
 * learner's classes, or an admin. Never the learner's peers; the runner token minted for it is
 * always an observer token, which carries no input.
 */
export function canObserveUser(viewer: Viewer, ownerId: string, scope: LearnerScope): boolean {
  return viewer.userId !== ownerId && canReadUser(viewer, ownerId, scope);
}

/** Who may change roles: admins only (the CLI bypasses this, it is run by whoever owns the server). */
export function canSetRoles(viewer: Viewer): boolean {
  return viewer.kind === "account" && viewer.role === "admin";
}

/** Learning records are written only by their owner: nobody answers a quiz for someone else. */
export function canWriteUser(viewer: Viewer, ownerId: string): boolean {
  return viewer.userId === ownerId;
}

export function assertCanReadUser(viewer: Viewer, ownerId: string, scope?: LearnerScope): void {
  if (!canReadUser(viewer, ownerId, scope)) throw new ForbiddenError(`reading the progress of user ${ownerId}`);
}

export function assertCanWriteUser(viewer: Viewer, ownerId: string): void {
  if (!canWriteUser(viewer, ownerId)) throw new ForbiddenError(`writing learning records for user ${ownerId}`);
}

/** Identifiers that reach the database from the browser are checked here: short, plain slugs. */
const ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
export function assertId(kind: string, value: unknown): asserts value is string {
  if (typeof value !== "string" || !ID.test(value)) {
    throw new TypeError(`${kind} ${JSON.stringify(value)} is not a valid id (letters, digits, _ . -, at most 128)`);
  }
}

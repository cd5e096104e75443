/**
 * Who may read or write whose learning records: the only place these rules live, so pages,
 * server actions and (later) the instructor dashboard cannot disagree. Pure.
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

/** A learner sees only their own records; instructors and admins may read any learner's (the class scope comes with classes). */
export function canReadUser(viewer: Viewer, ownerId: string): boolean {
  return viewer.userId === ownerId || viewer.role === "instructor" || viewer.role === "admin";
}

/** Learning records are written only by their owner: nobody answers a quiz for someone else. */
export function canWriteUser(viewer: Viewer, ownerId: string): boolean {
  return viewer.userId === ownerId;
}

export function assertCanReadUser(viewer: Viewer, ownerId: string): void {
  if (!canReadUser(viewer, ownerId)) throw new ForbiddenError(`reading the progress of user ${ownerId}`);
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

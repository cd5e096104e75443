import type { Db } from "../db";
import { assertCanReadUser, type LearnerScope, type Viewer } from "./rules";

/** The instructors of the classes `userId` joined: what the rules need to decide who may read them. */
export async function loadLearnerScope(db: Db, userId: string): Promise<LearnerScope> {
  const rows = await db.enrollment.findMany({ where: { userId }, select: { class: { select: { instructorId: true } } } });
  return { classInstructorIds: rows.map((r) => r.class.instructorId) };
}

/** Throws ForbiddenError unless the viewer may read `ownerId`'s records (loads the scope only when needed). */
export async function assertMayRead(db: Db, viewer: Viewer, ownerId: string): Promise<void> {
  if (viewer.userId === ownerId) return;
  assertCanReadUser(viewer, ownerId, viewer.role === "instructor" ? await loadLearnerScope(db, ownerId) : undefined);
}

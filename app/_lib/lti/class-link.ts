import type { Db } from "../db";
import { loadManagedClass } from "../dal/classes";
import type { Viewer } from "../dal/rules";
import { platformById } from "./platforms";
import type { LtiTool } from "./tool";

/**
 * A class's link to its LMS course, for its instructor (or an admin): what the class page shows,
 * and the "sync now" that fetches the roster again and re-sends every learner's score (the way to
 * retry after the LMS was down). Authorization is the class's own rule (loadManagedClass).
 */
export interface ClassLmsStatus {
  platformName: string;
  courseTitle: string;
  learnersWithGrades: number;
  gradesFailing: number;
}

export async function classLmsStatus(db: Db, viewer: Viewer, classId: string): Promise<ClassLmsStatus | null> {
  await loadManagedClass(db, viewer, classId);
  const ctx = await db.ltiContext.findUnique({ where: { classId } });
  if (!ctx) return null;
  const platform = await platformById(db, ctx.platformId);
  const grades = await db.ltiGrade.findMany({ where: { link: { ltiContextId: ctx.id } }, select: { userId: true, lastError: true } });
  return {
    platformName: platform?.name ?? "LMS",
    courseTitle: ctx.title,
    learnersWithGrades: new Set(grades.map((g) => g.userId)).size,
    gradesFailing: grades.filter((g) => g.lastError).length,
  };
}

export async function syncClassWithLms(
  db: Db,
  tool: LtiTool,
  viewer: Viewer,
  classId: string,
): Promise<{ roster: { members: number; learners: number; removed: number } | null; grades: { sent: number; failed: number } }> {
  await loadManagedClass(db, viewer, classId);
  const ctx = await db.ltiContext.findUnique({ where: { classId } });
  if (!ctx) throw new TypeError("This class is not linked to an LMS course (it is linked by an LTI launch of the course's instructor).");
  const roster = ctx.membershipsUrl ? await tool.syncRoster(ctx.id) : null;
  const grades = await tool.sendScores({ classId });
  return { roster, grades };
}

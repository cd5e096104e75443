import path from "node:path";
import { lessonPath } from "@/_i18n/paths";
import { auth } from "../auth";
import { platformConfig } from "../config";
import { getCourse } from "../content";
import { db } from "../db";
import { getViewer } from "../dal";
import { ForbiddenError, type Viewer } from "../dal/rules";
import { sessionUserId } from "../dal/session";
import { classLmsStatus, syncClassWithLms } from "./class-link";
import { loadOrCreateToolKey } from "./keys";
import { exerciseShareScore } from "./score";
import { LtiTool, type CourseOutline } from "./tool";

/**
 * The process's LTI tool (server only). The score function passed here is the one seam the
 * instructor tools' class score can take over (see ./score.ts).
 */
const holder = globalThis as unknown as { __courseLti?: Promise<LtiTool> };

export function courseOutline(): Promise<CourseOutline> {
  return getCourse().then((c) => ({
    lessons: c.lessons.map((l) => ({
      id: l.id,
      titles: { "pt-BR": l.content["pt-BR"].title, en: l.content.en.title },
      exerciseIds: l.exercises.map((e) => e.id),
      path: (locale: "pt-BR" | "en") => lessonPath(locale, l.slugs[locale]),
    })),
  }));
}

export function ltiTool(): Promise<LtiTool> {
  holder.__courseLti ??= loadOrCreateToolKey(path.resolve(/*turbopackIgnore: true*/ platformConfig().dataDir)).then(
    (key) => new LtiTool({ db: db(), auth: auth(), key, course: courseOutline, score: exerciseShareScore }),
  );
  return holder.__courseLti;
}

export function ltiPublicUrl(): string | undefined {
  return platformConfig().PUBLIC_URL || undefined;
}

/** After a passed Check: the learner's LMS gradebook columns get the new score (errors are kept on the row, never thrown). */
export function sendScoresInBackground(userId: string): void {
  void ltiTool()
    .then((t) => t.sendScores({ userId }))
    .catch((e) => console.error("[lti] sending scores failed", e));
}

async function myAccount(): Promise<Viewer> {
  const v = await getViewer();
  if (!v || v.kind !== "account") throw new ForbiddenError("this class's LMS link without signing in (sign in first)");
  return v;
}

/** The class page's LMS panel (null when the class is not linked to an LMS course). */
export async function myClassLmsStatus(classId: string) {
  return classLmsStatus(db(), await myAccount(), classId);
}

export async function syncMyClassWithLms(classId: string) {
  return syncClassWithLms(db(), await ltiTool(), await myAccount(), classId);
}

/** After a passed Check: the signed-in learner's LMS gradebook columns get the new score (in the background; guests have none). */
export async function sendMyLtiScores(): Promise<void> {
  const userId = await sessionUserId();
  if (userId) sendScoresInBackground(userId);
}

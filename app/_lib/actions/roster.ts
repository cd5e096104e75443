"use server";

import { z } from "zod";
import { NotFoundError } from "../dal/classes";
import { ForbiddenError } from "../dal/rules";
import * as t from "../dal/teaching";
import { resetSandbox } from "./sandbox";

/**
 * Server actions of the roster, messages, hands, assignments and reset links. The data-access layer
 * decides who may; failures come back as `{ ok: false, code, message }` (production hides thrown
 * messages), with the message saying what was wrong.
 */
export type RosterResult<T = object> =
  ({ ok: true } & T) | { ok: false; code: "forbidden" | "not-found" | "invalid" | "unknown"; message: string };

function failure(e: unknown): { ok: false; code: "forbidden" | "not-found" | "invalid" | "unknown"; message: string } {
  if (e instanceof ForbiddenError) return { ok: false, code: "forbidden", message: e.message };
  if (e instanceof NotFoundError) return { ok: false, code: "not-found", message: e.message };
  if (e instanceof z.ZodError) return { ok: false, code: "invalid", message: e.issues.map((i) => i.message).join("; ") };
  if (e instanceof TypeError) return { ok: false, code: "invalid", message: e.message };
  console.error("[roster action]", e);
  return { ok: false, code: "unknown", message: "Something went wrong; try again." };
}

async function attempt<T extends object>(fn: () => Promise<T>): Promise<RosterResult<T>> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (e) {
    return failure(e);
  }
}

const id = z.string().max(128);

export async function renameClassAction(classId: string, name: string) {
  return attempt(async () => (await t.renameMyClass(id.parse(classId), z.string().max(200).parse(name)), {}));
}
export async function archiveClassAction(classId: string, archived: boolean) {
  return attempt(async () => (await t.archiveMyClass(id.parse(classId), z.boolean().parse(archived)), {}));
}
export async function deleteClassAction(classId: string, confirmName: string) {
  return attempt(async () => (await t.deleteMyClass(id.parse(classId), z.string().max(200).parse(confirmName)), {}));
}
export async function rotateCodeAction(classId: string) {
  return attempt(async () => ({ code: await t.rotateMyClassCode(id.parse(classId)) }));
}
export async function removeLearnerAction(classId: string, learnerId: string) {
  return attempt(async () => (await t.removeMyLearner(id.parse(classId), id.parse(learnerId)), {}));
}
export async function inviteAction(classId: string, list: string) {
  return attempt(async () => ({ invites: await t.inviteToMyClass(id.parse(classId), z.string().max(50_000).parse(list)) }));
}
export async function messageAction(classId: string, toUserId: string | null, body: string) {
  return attempt(
    async () => (await t.messageMyClass(id.parse(classId), id.nullable().parse(toUserId), z.string().max(2000).parse(body)), {}),
  );
}
export async function askResetAction(classId: string, learnerId: string) {
  return attempt(async () => (await t.askSandboxReset(id.parse(classId), id.parse(learnerId)), {}));
}
export async function lowerHandAction(classId: string, learnerId: string) {
  return attempt(async () => (await t.lowerLearnerHand(id.parse(classId), id.parse(learnerId)), {}));
}
export async function resetLinkAction(classId: string, learnerId: string) {
  return attempt(async () => {
    const r = await t.issueLearnerResetLink(id.parse(classId), id.parse(learnerId));
    return { token: r.token, expiresAt: r.expiresAt.toISOString() };
  });
}
export async function assignmentsAction(classId: string, list: { lessonId: string; dueAt: string | null }[]) {
  const schema = z.array(z.object({ lessonId: id, dueAt: z.string().max(40).nullable() })).max(200);
  return attempt(async () => (await t.setMyClassAssignments(id.parse(classId), schema.parse(list)), {}));
}

// ---------- the learner's side ----------

export async function raiseHandAction(raised: boolean, lessonId: string | null) {
  return attempt(async () => (await t.setMyHandRaised(z.boolean().parse(raised), id.nullable().parse(lessonId)), {}));
}

/**
 * The learner answers the instructor's reset request. Accepting resets the learner's own sandbox
 * through the same path as their own "Reset" button (their session, their lesson): the instructor
 * never reaches into the sandbox.
 */
export async function answerResetAction(messageId: string, accept: boolean, lessonId: string, locale: string) {
  return attempt(async () => {
    await t.answerMyResetRequest(id.parse(messageId), z.boolean().parse(accept));
    if (!accept) return { reset: false };
    const r = await resetSandbox(id.parse(lessonId), z.string().max(10).parse(locale));
    if (!r.ok) throw new TypeError(`the sandbox could not be reset (${r.code})`);
    return { reset: true };
  });
}

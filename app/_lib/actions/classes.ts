"use server";

import { z } from "zod";
import { createMyClass, joinClassWithCode, NotFoundError, setAccountRole } from "../dal/teaching";
import { ForbiddenError } from "../dal/rules";

/**
 * Server actions of classes: create (instructors), join with a code (learners with an account),
 * change a role (admins). The data-access layer decides who may; failures come back as
 * `{ ok: false, code, message }` because production hides thrown messages.
 */
export type ClassActionResult<T> =
  ({ ok: true } & T) | { ok: false; code: "forbidden" | "not-found" | "invalid" | "unknown"; message: string };

function failure(e: unknown): { ok: false; code: "forbidden" | "not-found" | "invalid" | "unknown"; message: string } {
  if (e instanceof ForbiddenError) return { ok: false, code: "forbidden", message: e.message };
  if (e instanceof NotFoundError) return { ok: false, code: "not-found", message: e.message };
  if (e instanceof TypeError || e instanceof z.ZodError) return { ok: false, code: "invalid", message: e.message };
  console.error("[class action]", e);
  return { ok: false, code: "unknown", message: "Something went wrong; try again." };
}

export async function createClassAction(name: string): Promise<ClassActionResult<{ id: string; code: string }>> {
  try {
    const c = await createMyClass(z.string().max(200).parse(name));
    return { ok: true, id: c.id, code: c.code };
  } catch (e) {
    return failure(e);
  }
}

export async function joinClassAction(code: string): Promise<ClassActionResult<{ classId: string; name: string }>> {
  try {
    return { ok: true, ...(await joinClassWithCode(z.string().max(40).parse(code))) };
  } catch (e) {
    return failure(e);
  }
}

export async function setRoleAction(userId: string, role: string): Promise<ClassActionResult<object>> {
  try {
    const r = z.enum(["learner", "instructor", "admin"]).parse(role);
    await setAccountRole(z.string().max(128).parse(userId), r);
    return { ok: true };
  } catch (e) {
    return failure(e);
  }
}

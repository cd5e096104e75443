import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";

/**
 * The guest cookie's value: `<userId>.<signature>`. The signature (HMAC-SHA256 with the platform
 * secret) proves the app issued this id, so a learner cannot read another learner's progress by
 * editing the cookie. Pure functions: the secret is passed in.
 */
export const GUEST_COOKIE = "curso_guest";
export const GUEST_COOKIE_MAX_AGE = 60 * 60 * 24 * 400; // browsers cap cookies at 400 days

const ID = /^[a-zA-Z0-9_-]{8,64}$/;

function signature(secret: string, userId: string): string {
  return createHmac("sha256", secret).update(`guest:${userId}`).digest("base64url");
}

export function newGuestId(): string {
  return `g_${randomUUID().replaceAll("-", "")}`;
}

export function signGuestToken(secret: string, userId: string): string {
  if (!ID.test(userId)) throw new Error(`guest id ${JSON.stringify(userId)} is not a valid id (8-64 of a-z A-Z 0-9 _ -)`);
  return `${userId}.${signature(secret, userId)}`;
}

/** The user id inside a valid token, or null for anything missing, malformed or forged. */
export function verifyGuestToken(secret: string, token: string | undefined | null): string | null {
  if (!token) return null;
  const dot = token.lastIndexOf(".");
  if (dot < 0) return null;
  const userId = token.slice(0, dot);
  if (!ID.test(userId)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(signature(secret, userId));
  return given.length === expected.length && timingSafeEqual(given, expected) ? userId : null;
}

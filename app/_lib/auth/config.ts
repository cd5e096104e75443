import { createHmac } from "node:crypto";
import { betterAuth } from "better-auth";
import { prismaAdapter } from "better-auth/adapters/prisma";
import { nextCookies } from "better-auth/next-js";
import type { Db } from "../db";
import { claimGuest } from "../dal/claim";
import { GUEST_COOKIE, verifyGuestToken } from "../dal/guest-token";
import { requestOrigins } from "./origins";

/**
 * Accounts through better-auth (email + password, sessions stored in the database) on the app's own
 * Prisma client and SQLite file. better-auth's `user` is the app's User model: accounts are rows with
 * kind "account"; `role` is never taken from the browser (sign-up makes learners; instructors and
 * admins come from `npm run user:create` or an admin). Built-in protections on: rate limits on
 * sign-in/sign-up, Origin checks against the host the request came to (CSRF), scrypt hashes.
 */
export interface AuthOptions {
  /** The platform secret (DATA_DIR/secret or RUNNER_SECRET); better-auth gets a key derived from it. */
  secret: string;
  /** Public URL of the app when known (PUBLIC_URL); else taken from each request. */
  baseURL?: string;
  /** Extra origins allowed to post to /api/auth (TRUSTED_ORIGINS, comma separated). */
  trustedOrigins?: string[];
  /** Sign-in (and sign-up) attempts per IP and minute (AUTH_SIGNIN_PER_MINUTE); failures per account are limited in the route. */
  signInPerMinute?: number;
  cookieSecure?: boolean;
  /** Sends the reset e-mail (SMTP_URL set); without it, only instructors' reset links reset passwords. */
  sendResetPassword?: (m: { user: { email: string; name?: string | null }; url: string }) => Promise<void>;
}

function cookieValue(header: string | null | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function createAuth(db: Db, o: AuthOptions) {
  const signInMax = o.signInPerMinute ?? 120;
  // A guest signing up or in brings their progress along (the signed guest cookie names the guest row).
  const claimFromCookie = async (userId: string, headers: Headers | undefined) => {
    const guestId = verifyGuestToken(o.secret, cookieValue(headers?.get("cookie"), GUEST_COOKIE));
    if (guestId) await claimGuest(db, guestId, userId);
  };
  return betterAuth({
    appName: "Aprendendo Docker",
    secret: createHmac("sha256", o.secret).update("better-auth").digest("base64url"),
    ...(o.baseURL ? { baseURL: o.baseURL } : {}),
    basePath: "/api/auth",
    database: prismaAdapter(db, { provider: "sqlite" }),
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // A reset signs out every browser of the account: whoever knew the old password is out.
      revokeSessionsOnPasswordReset: true,
      resetPasswordTokenExpiresIn: 60 * 60,
      ...(o.sendResetPassword ? { sendResetPassword: ({ user, url }) => o.sendResetPassword!({ user, url }) } : {}),
    },
    user: {
      additionalFields: {
        kind: { type: "string", required: false, defaultValue: "account", input: false },
        role: { type: "string", required: false, defaultValue: "learner", input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "memory",
      window: 60,
      max: Math.max(200, signInMax),
      customRules: {
        "/sign-in/email": { window: 60, max: signInMax },
        "/sign-up/email": { window: 60, max: signInMax },
      },
    },
    trustedOrigins: (request) => [...requestOrigins(request?.headers), ...(o.trustedOrigins ?? [])],
    // Origin/CSRF checks stay on in every environment (better-auth skips them under NODE_ENV=test by default).
    advanced: { useSecureCookies: !!o.cookieSecure, cookiePrefix: "curso", disableOriginCheck: false, disableCSRFCheck: false },
    databaseHooks: {
      user: { create: { after: async (user, ctx) => claimFromCookie(user.id, ctx?.headers ?? ctx?.request?.headers) } },
      session: { create: { after: async (session, ctx) => claimFromCookie(session.userId, ctx?.headers ?? ctx?.request?.headers) } },
    },
    plugins: [nextCookies()],
  });
}

export type Auth = ReturnType<typeof createAuth>;

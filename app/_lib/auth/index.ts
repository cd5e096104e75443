import { db } from "../db";
import { platformSecret } from "../secret";
import { createAuth, type Auth } from "./config";

/** The process's better-auth instance (server only), configured from the environment. */
const holder = globalThis as unknown as { __courseAuth?: Auth };

export function auth(): Auth {
  holder.__courseAuth ??= createAuth(db(), {
    secret: platformSecret(),
    baseURL: process.env.BETTER_AUTH_URL || undefined,
    trustedOrigins: (process.env.TRUSTED_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    signInPerMinute: Number(process.env.AUTH_SIGNIN_PER_MINUTE) || undefined,
    cookieSecure: process.env.COOKIE_SECURE === "1",
  });
  return holder.__courseAuth;
}

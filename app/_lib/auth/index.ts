import { platformConfig } from "../config";
import { db } from "../db";
import { platformSecret } from "../secret";
import { createAuth, type Auth } from "./config";
import { smtpResetSender } from "./mail";

/** The process's better-auth instance (server only), configured from the environment. */
const holder = globalThis as unknown as { __courseAuth?: Auth };

export function auth(): Auth {
  const cfg = platformConfig();
  holder.__courseAuth ??= createAuth(db(), {
    secret: platformSecret(),
    baseURL: cfg.PUBLIC_URL,
    trustedOrigins: (cfg.TRUSTED_ORIGINS ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    signInPerMinute: cfg.AUTH_SIGNIN_PER_MINUTE,
    cookieSecure: cfg.COOKIE_SECURE,
    ...(cfg.SMTP_URL ? { sendResetPassword: smtpResetSender(cfg.SMTP_URL, cfg.SMTP_FROM) } : {}),
  });
  return holder.__courseAuth;
}

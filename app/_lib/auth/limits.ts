import { platformConfig } from "../config";
import { createAccountLimit, type AccountLimit } from "./account-limit";

const holder = globalThis as unknown as { __courseAccountLimit?: AccountLimit };

/** The process's per-account failed sign-in limit (AUTH_FAILED_SIGNINS_PER_ACCOUNT, AUTH_ACCOUNT_LOCK_MINUTES). */
export function accountLimit(): AccountLimit {
  const cfg = platformConfig();
  holder.__courseAccountLimit ??= createAccountLimit(cfg.AUTH_FAILED_SIGNINS_PER_ACCOUNT, cfg.AUTH_ACCOUNT_LOCK_MINUTES);
  return holder.__courseAccountLimit;
}

// Failed sign-ins counted per account (the e-mail typed), beside better-auth's per-address limit:
// a school's 30 learners share one address, so the address limit is generous and this one is what
// slows a password guesser. rate-limiter-flexible, like the sandbox quota: its answer carries the wait.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export interface AccountLimit {
  /** Seconds until this account may try again (0: it may). */
  retryAfter(email: string): Promise<number>;
  /** A wrong password for this account: counts toward the lock. */
  failed(email: string): Promise<void>;
  /** A successful sign-in clears the account's failures. */
  succeeded(email: string): Promise<void>;
}

/** Keys are the normalised e-mail, so "Ana@X.org " and "ana@x.org" are the same account. */
export function accountKey(email: string): string {
  return email.trim().toLowerCase();
}

export function createAccountLimit(failures: number, lockMinutes: number): AccountLimit {
  const limiter = new RateLimiterMemory({ keyPrefix: "signin-account", points: failures, duration: lockMinutes * 60 });
  const secs = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  return {
    async retryAfter(email) {
      const r = await limiter.get(accountKey(email));
      return r && r.consumedPoints >= failures ? secs(r.msBeforeNext) : 0;
    },
    async failed(email) {
      try {
        await limiter.consume(accountKey(email));
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e; // already locked: nothing more to count
      }
    },
    async succeeded(email) {
      await limiter.delete(accountKey(email));
    },
  };
}

/** The 429 every refused sign-in/sign-up gets: Retry-After and the wait in the body, for the form's message. */
export function tooManyResponse(retryAfterSec: number): Response {
  return Response.json(
    { code: "TOO_MANY_ATTEMPTS", message: "Too many attempts", retryAfter: retryAfterSec },
    { status: 429, headers: { "retry-after": String(retryAfterSec), "cache-control": "no-store" } },
  );
}

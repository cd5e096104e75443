// rate-limiter-flexible over a hand-written bucket: well kept, and its answer carries the wait
// (msBeforeNext) the learner's message needs. Memory storage: the app is one process.
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { platformConfig } from "../config";
import { SandboxProblem } from "../runner";

/**
 * Limits on creating sandboxes, so a script cannot fill SANDBOX_CAPACITY: every cookie-less
 * request is a new guest, so a guest's own limit alone would not stop it.
 * - per IP address, for guests: GUEST_SANDBOXES_PER_ADDRESS per 10 minutes (a class of 30 behind a
 *   school's one address each gets one, twice over; a script does not get fifty). Signed-in
 *   learners are not counted per address: their accounts are the limit.
 * - per learner (guest or account): PER_LEARNER per 10 minutes (the "reset sandbox" button).
 * The address is the one the app's server vouches for (scripts/app-server.mjs rewrites
 * X-Forwarded-For from the socket and TRUSTED_PROXIES).
 */
const WINDOW_S = 600;
export const PER_LEARNER = 10;

export interface SandboxQuota {
  /** Takes one new sandbox from the learner's (and, for a guest, the address's) allowance, or throws "too-many-sandboxes". */
  take(viewer: { userId: string; kind: string }, address: string | null): Promise<void>;
}

export function createSandboxQuota(perAddress: number): SandboxQuota {
  const address = new RateLimiterMemory({ keyPrefix: "sandbox-address", points: perAddress, duration: WINDOW_S });
  const learner = new RateLimiterMemory({ keyPrefix: "sandbox-learner", points: PER_LEARNER, duration: WINDOW_S });
  return {
    async take(viewer, from) {
      try {
        await learner.consume(viewer.userId);
        if (viewer.kind === "guest" && from) await address.consume(from);
      } catch (e) {
        if (!(e instanceof RateLimiterRes)) throw e;
        const wait = Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw new SandboxProblem(
          "too-many-sandboxes",
          `new-sandbox limit reached (${viewer.kind} ${viewer.userId}, address ${from})`,
          wait,
        );
      }
    },
  };
}

let quota: SandboxQuota | undefined;
export function takeSandboxAllowance(viewer: { userId: string; kind: string }, address: string | null): Promise<void> {
  quota ??= createSandboxQuota(platformConfig().GUEST_SANDBOXES_PER_ADDRESS);
  return quota.take(viewer, address);
}

/** The address X-Forwarded-For holds once the app's server has rewritten it (one address). */
export function requestAddress(h: Headers): string | null {
  return h.get("x-forwarded-for")?.split(",")[0]?.trim() || null;
}

/**
 * What "stuck" means, in one place for the learner's page and the instructor's matrix (pure, no I/O).
 *
 * Only what the learner did on *that* exercise counts: a Check they pressed ("manual") and failed,
 * the solution they opened. Automatic Checks run every unfinished exercise after each command, so a
 * failed automatic Check says nothing about the learner trying it and is never counted.
 *
 * An unfinished exercise is stuck when the learner
 * - failed STUCK_FAILED_CHECKS manual Checks (the point where their page offers the solution), or
 * - opened the solution without passing, or
 * - failed a manual Check at least STUCK_AFTER_MINUTES ago and has not passed since.
 */
export const STUCK_FAILED_CHECKS = 3;
export const STUCK_AFTER_MINUTES = 10;

export interface StuckInput {
  passed: boolean;
  /** failed manual Checks before the first pass */
  failedChecks: number;
  solutionOpened: boolean;
  /** time of the first failed manual Check, null if none */
  firstFailedAt: Date | null;
}

export function isStuck(s: StuckInput, now: Date): boolean {
  if (s.passed) return false;
  if (s.failedChecks >= STUCK_FAILED_CHECKS || s.solutionOpened) return true;
  return s.firstFailedAt !== null && now.getTime() - s.firstFailedAt.getTime() >= STUCK_AFTER_MINUTES * 60_000;
}

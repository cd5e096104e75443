/**
 * Every way an LTI launch is refused, each with its HTTP status; the sentence shown to the person
 * is in the message catalogue (`lti.error_<code>` in app/_i18n/messages/*.json), the detail
 * (what exactly did not match) goes to the log and the page's small print.
 */
export const LTI_ERROR_STATUS = {
  unknown_platform: 403,
  unknown_deployment: 403,
  bad_signature: 401,
  wrong_issuer: 401,
  wrong_audience: 401,
  expired: 401,
  replayed: 401,
  state_mismatch: 400,
  bad_message: 400,
  bad_target: 400,
  deep_link_expired: 400,
  platform_unreachable: 502,
  too_many_logins: 429,
} as const;

export type LtiErrorCode = keyof typeof LTI_ERROR_STATUS;

/** A brand, not `instanceof`: the bundler may load this module more than once (one copy per chunk), and a refusal must never turn into a 502. */
const BRAND = Symbol.for("aprendendo-docker.LtiError");

export function isLtiError(e: unknown): e is LtiError {
  return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[BRAND] === true;
}

export class LtiError extends Error {
  readonly [BRAND] = true;
  readonly status: number;
  constructor(
    readonly code: LtiErrorCode,
    readonly detail: string,
  ) {
    super(`LTI ${code}: ${detail}`);
    this.name = "LtiError";
    this.status = LTI_ERROR_STATUS[code];
  }
}

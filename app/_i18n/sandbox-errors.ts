import type { SandboxErrorCode } from "@/_lib/runner";

/**
 * The server answers a sandbox failure with a code (and maybe a wait); the page words it from the
 * message catalogue (`sandboxErrors.<code>`). Pure: the translator comes in, so server, client and
 * tests word it the same way.
 */
export type Translate = (key: string, values?: Record<string, string | number>) => string;

/** How long to wait, as the catalogue's `{unit, select, …}` wants it: seconds below 90, else whole minutes. */
export function waitParams(retryAfter?: number): { unit: "seconds" | "minutes" | "none"; n: number } {
  if (!retryAfter || !Number.isFinite(retryAfter) || retryAfter <= 0) return { unit: "none", n: 0 };
  const s = Math.ceil(retryAfter);
  return s < 90 ? { unit: "seconds", n: s } : { unit: "minutes", n: Math.ceil(s / 60) };
}

/**
 * `t` is `useTranslations("sandboxErrors")` (or `createTranslator(..., namespace: "sandboxErrors")`);
 * `position`: the learner's place in line ("queued").
 */
export function sandboxErrorText(t: Translate, code: SandboxErrorCode, retryAfter?: number, position?: number): string {
  return t(code, { ...waitParams(retryAfter), position: position ?? 1 });
}

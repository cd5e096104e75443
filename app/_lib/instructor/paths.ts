import { defaultLocale, type Locale } from "@/_i18n/routing";

/** URLs of the account and instructor pages (same segments in every locale; `/en` prefix as elsewhere). Pure. */
export function localized(locale: Locale, path: string): string {
  const p = path.startsWith("/") ? path : `/${path}`;
  return locale === defaultLocale ? p : `/${locale}${p === "/" ? "" : p}`;
}

export const pages = {
  signIn: (l: Locale, next?: string) => localized(l, "/signin") + (next ? `?next=${encodeURIComponent(next)}` : ""),
  signUp: (l: Locale, next?: string) => localized(l, "/signup") + (next ? `?next=${encodeURIComponent(next)}` : ""),
  join: (l: Locale, code?: string) => localized(l, code ? `/join/${encodeURIComponent(code)}` : "/join"),
  classes: (l: Locale) => localized(l, "/instructor"),
  class: (l: Locale, id: string) => localized(l, `/instructor/classes/${encodeURIComponent(id)}`),
  learner: (l: Locale, classId: string, userId: string) =>
    localized(l, `/instructor/classes/${encodeURIComponent(classId)}/learners/${encodeURIComponent(userId)}`),
  admin: (l: Locale) => localized(l, "/admin"),
};

/** A made-up origin to resolve `next` against: only what stays on it is a local path. */
const LOCAL_ORIGIN = "http://app.invalid";

/**
 * Only local paths are followed after sign-in (no open redirect to another site). `next` is resolved
 * the way the browser will resolve it (WHATWG URL) and must stay on the app's own origin; control
 * characters and backslashes are refused outright, since the URL parser drops or rewrites them
 * (`/\t/evil.example` parses as `//evil.example`). Returns the normalised path, query and fragment.
 */
export function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== "string" || !next.startsWith("/") || /[\u0000-\u0020\u007f\\]/.test(next)) return fallback;
  let url: URL;
  try {
    url = new URL(next, LOCAL_ORIGIN);
  } catch {
    return fallback;
  }
  return url.origin === LOCAL_ORIGIN ? url.pathname + url.search + url.hash : fallback;
}

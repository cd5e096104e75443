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

/** Only local paths are followed after sign-in (no open redirect to another site). */
export function safeNext(next: unknown, fallback: string): string {
  return typeof next === "string" && next.startsWith("/") && !next.startsWith("//") && !next.includes("\\") ? next : fallback;
}

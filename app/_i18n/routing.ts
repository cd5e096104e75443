import { defineRouting } from "next-intl/routing";

/**
 * The course's locales and localized URLs. Portuguese is the default and has no prefix
 * (`/licoes/o-que-e-docker`); English lives under `/en` (`/en/lessons/what-is-docker`).
 * A URL always means the same page in the same language (links shared between learners do not
 * depend on Accept-Language): detection is off here. Only the home page `/`, the door a new
 * visitor comes in by, negotiates (`negotiatingRouting`, used by proxy.ts): the learner's last
 * choice (the NEXT_LOCALE cookie, set by the language switch or by visiting a page in the other
 * language) first, then the browser's Accept-Language (English → /en), else Portuguese.
 */
export const locales = ["pt-BR", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "pt-BR";

export const pathnames = {
  "/": "/",
  "/lessons/[slug]": { "pt-BR": "/licoes/[slug]", en: "/lessons/[slug]" },
} as const;

/** The learner's language choice, remembered for a year (next-intl's default is a session cookie). */
export const LOCALE_COOKIE = { name: "NEXT_LOCALE", maxAge: 365 * 24 * 60 * 60, sameSite: "lax" } as const;

export const routing = defineRouting({
  locales,
  defaultLocale,
  localePrefix: "as-needed",
  localeDetection: false,
  localeCookie: LOCALE_COOKIE,
  pathnames,
});

/** The same routing with next-intl's locale detection on: for the home page only (see above). */
export const negotiatingRouting = { ...routing, localeDetection: true };

/** The cookie the language switch writes before it navigates, so `/` keeps the learner's choice. */
export function localeChoiceCookie(locale: Locale): string {
  return `${LOCALE_COOKIE.name}=${locale}; path=/; max-age=${LOCALE_COOKIE.maxAge}; samesite=${LOCALE_COOKIE.sameSite}`;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

import { defineRouting } from "next-intl/routing";

/**
 * The course's locales and localized URLs. Portuguese is the default and has no prefix
 * (`/licoes/o-que-e-docker`); English lives under `/en` (`/en/lessons/what-is-docker`).
 * Browser language detection is off so a URL always means the same page (links shared between
 * learners, e2e tests and screenshots do not depend on Accept-Language).
 */
export const locales = ["pt-BR", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "pt-BR";

export const pathnames = {
  "/": "/",
  "/lessons/[slug]": { "pt-BR": "/licoes/[slug]", en: "/lessons/[slug]" },
} as const;

export const routing = defineRouting({
  locales,
  defaultLocale,
  localePrefix: "as-needed",
  localeDetection: false,
  pathnames,
});

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

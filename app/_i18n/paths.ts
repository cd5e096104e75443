import { defaultLocale, locales, pathnames, type Locale } from "./routing";

/**
 * Pure URL helpers (no Next.js imports) so links can be built and tested anywhere: the same
 * rules as the routing config (`as-needed` prefix, localized pathnames).
 */
type Route = keyof typeof pathnames;

function template(route: Route, locale: Locale): string {
  const entry = pathnames[route];
  return typeof entry === "string" ? entry : entry[locale];
}

function prefix(locale: Locale): string {
  return locale === defaultLocale ? "" : `/${locale}`;
}

export function homePath(locale: Locale): string {
  return prefix(locale) || "/";
}

export function lessonPath(locale: Locale, slug: string): string {
  return prefix(locale) + template("/lessons/[slug]", locale).replace("[slug]", encodeURIComponent(slug));
}

/** Recognises a public URL: which locale, and which lesson slug if it is a lesson page. */
export function parsePath(pathname: string): { locale: Locale; lessonSlug?: string } | null {
  const parts = pathname.split("/").filter(Boolean);
  let locale: Locale = defaultLocale;
  const first = parts[0];
  if (first && first !== defaultLocale && (locales as readonly string[]).includes(first)) {
    locale = first as Locale;
    parts.shift();
  }
  if (parts.length === 0) return { locale };
  const lessonSegment = template("/lessons/[slug]", locale).split("/")[1];
  if (parts.length === 2 && parts[0] === lessonSegment && parts[1]) {
    return { locale, lessonSlug: decodeURIComponent(parts[1]) };
  }
  return null;
}

/** The href of the same page in every locale, given each locale's slug (lesson slugs are translated). */
export function alternatePaths(slugs: Record<Locale, string> | null): Record<Locale, string> {
  return Object.fromEntries(locales.map((l) => [l, slugs ? lessonPath(l, slugs[l]) : homePath(l)])) as Record<Locale, string>;
}

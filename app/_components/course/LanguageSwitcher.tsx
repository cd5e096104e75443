"use client";

import NextLink from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { isLocale, localeChoiceCookie } from "@/_i18n/routing";

/**
 * Links to the same page in the other languages. The server computes each locale's URL (lesson
 * slugs are translated), so the learner stays on the same lesson. A click records the choice in the
 * locale cookie first: the home page `/` negotiates the language and must see the learner's choice
 * rather than the browser's (not prefetched either, for the same reason: a prefetch of `/` would
 * be answered before the choice).
 */
export default function LanguageSwitcher({ alternates }: { alternates: Record<string, string> }) {
  const t = useTranslations("language");
  const current = useLocale();
  return (
    <nav className="lang-switch" aria-label={t("label")}>
      <ul>
        {Object.entries(alternates).map(([locale, href]) => (
          <li key={locale}>
            {locale === current ? (
              <span className="lang-switch__current" aria-current="true" lang={locale}>
                {t(locale as "pt-BR" | "en")}
              </span>
            ) : (
              <NextLink
                href={href}
                hrefLang={locale}
                lang={locale}
                className="lang-switch__link"
                prefetch={false}
                onClick={() => {
                  if (isLocale(locale)) document.cookie = localeChoiceCookie(locale);
                }}
              >
                {t(locale as "pt-BR" | "en")}
              </NextLink>
            )}
          </li>
        ))}
      </ul>
    </nav>
  );
}

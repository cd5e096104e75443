import { getTranslations } from "next-intl/server";
import NextLink from "next/link";
import type { Locale } from "@/_i18n/routing";
import { homePath } from "@/_i18n/paths";
import LanguageSwitcher from "@/_components/course/LanguageSwitcher";
import ThemeToggle from "@/_components/course/ThemeToggle";
import AccountMenu from "@/_components/auth/AccountMenu";

/** The top bar of every page: course name (home link), account links, language switch for this page, theme toggle. */
export default async function SiteHeader({ locale, alternates }: { locale: Locale; alternates: Record<Locale, string> }) {
  const t = await getTranslations({ locale, namespace: "site" });
  return (
    <header className="site-header">
      <a className="skip-link" href="#content">
        {t("skipToContent")}
      </a>
      <NextLink href={homePath(locale)} className="site-header__brand">
        <span className="site-header__logo" aria-hidden="true">
          <svg viewBox="0 0 24 24" width="22" height="22">
            <rect x="2" y="11" width="6" height="5" rx="1" />
            <rect x="9" y="11" width="6" height="5" rx="1" />
            <rect x="16" y="11" width="6" height="5" rx="1" />
            <rect x="9" y="5" width="6" height="5" rx="1" />
            <path d="M1 18h22c-1.5 3-5 4-11 4S2.5 21 1 18z" />
          </svg>
        </span>
        <span>{t("name")}</span>
      </NextLink>
      <div className="site-header__tools">
        <AccountMenu />
        <LanguageSwitcher alternates={alternates} />
        <ThemeToggle />
      </div>
    </header>
  );
}

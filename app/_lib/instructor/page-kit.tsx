import { notFound } from "next/navigation";
import { hasLocale } from "next-intl";
import { setRequestLocale } from "next-intl/server";
import { locales, routing, type Locale } from "@/_i18n/routing";
import SiteHeader from "@/_lib/site-header";
import { localized } from "./paths";

/** Shared bits of the account and instructor pages (server only). */
export async function pageLocale(params: Promise<{ locale: string }>): Promise<Locale> {
  const { locale } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  setRequestLocale(locale);
  return locale;
}

/** The header with a language switch that stays on the same page. */
export function Header({ locale, path }: { locale: Locale; path: string }) {
  const alternates = Object.fromEntries(locales.map((l) => [l, localized(l, path)])) as Record<Locale, string>;
  return <SiteHeader locale={locale} alternates={alternates} />;
}

/** For guests on the join pages: create an account (progress comes along) or sign in. */
export function NeedAccount({ text, signUp, signIn, labels }: { text: string; signUp: string; signIn: string; labels: [string, string] }) {
  return (
    <div className="form-card">
      <p>{text}</p>
      <p className="button-row">
        <a className="btn btn--primary" href={signUp}>
          {labels[0]}
        </a>
        <a className="btn btn--ghost" href={signIn}>
          {labels[1]}
        </a>
      </p>
    </div>
  );
}

import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import AuthForm from "@/_components/auth/AuthForm";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages, safeNext } from "@/_lib/instructor/paths";

/** What differs between the sign-in and the sign-up page; the rest is one page. */
const MODES = {
  signin: { path: "/signin", title: "signInTitle", intro: "signInIntro", other: "noAccount", otherLink: "signUp" },
  signup: { path: "/signup", title: "signUpTitle", intro: "signUpIntro", other: "haveAccount", otherLink: "signIn" },
} as const;
type Mode = keyof typeof MODES;
type Params = { params: Promise<{ locale: string }> };

export async function authMetadata(mode: Mode, { params }: Params): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "auth" });
  return { title: t(MODES[mode].title), robots: { index: false } };
}

/** The form posts to better-auth; `next` (a local path only) is where it goes after. */
export async function AuthPage({ mode, params, searchParams }: Params & { mode: Mode; searchParams: Promise<{ next?: string }> }) {
  const m = MODES[mode];
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "auth" });
  const tAccount = await getTranslations({ locale, namespace: "account" });
  const next = safeNext((await searchParams).next, localized(locale, "/"));
  const otherHref = mode === "signin" ? pages.signUp(locale, next) : pages.signIn(locale, next);
  return (
    <>
      <Header locale={locale} path={m.path} />
      <main id="content" className="page page--narrow auth-page">
        <h1>{t(m.title)}</h1>
        <p className="muted">{t(m.intro)}</p>
        <AuthForm mode={mode} next={next} />
        <p>
          {t(m.other)} <a href={otherHref}>{tAccount(m.otherLink)}</a>
        </p>
        {mode === "signin" && (
          <p className="small">
            <a href={localized(locale, "/forgot-password")}>{(await getTranslations({ locale, namespace: "roster" }))("pwForgotLink")}</a>
          </p>
        )}
        <p className="muted small">{t("instructorsNote")}</p>
      </main>
    </>
  );
}

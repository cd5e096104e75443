import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import PasswordReset from "@/_components/roster/PasswordReset";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages } from "@/_lib/instructor/paths";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<{ token?: string; error?: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "roster" });
  return { title: t("pwResetTitle"), robots: { index: false }, referrer: "no-referrer" };
}

/** Where a reset link lands (from an instructor or an e-mail): choose a new password once. */
export default async function ResetPasswordPage({ params, searchParams }: Props) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "roster" });
  const { token, error } = await searchParams;
  return (
    <>
      <Header locale={locale} path="/reset-password" />
      <main id="content" className="page page--narrow auth-page">
        <h1>{t("pwResetTitle")}</h1>
        <p className="muted">{t("pwResetIntro")}</p>
        <PasswordReset
          mode="reset"
          token={error || typeof token !== "string" ? undefined : token.slice(0, 200)}
          resetPath={localized(locale, "/reset-password")}
          signInHref={pages.signIn(locale)}
        />
      </main>
    </>
  );
}

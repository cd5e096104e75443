import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import PasswordReset from "@/_components/roster/PasswordReset";
import { platformConfig } from "@/_lib/config";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages } from "@/_lib/instructor/paths";

type Props = { params: Promise<{ locale: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "roster" });
  return { title: t("pwForgotTitle"), robots: { index: false } };
}

/** "Forgot my password": an e-mailed link when the server has SMTP; otherwise, ask the instructor. */
export default async function ForgotPasswordPage({ params }: Props) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "roster" });
  const mail = !!platformConfig().SMTP_URL;
  return (
    <>
      <Header locale={locale} path="/forgot-password" />
      <main id="content" className="page page--narrow auth-page">
        <h1>{t("pwForgotTitle")}</h1>
        {mail ? (
          <>
            <p className="muted">{t("pwForgotIntro")}</p>
            <PasswordReset mode="forgot" resetPath={localized(locale, "/reset-password")} signInHref={pages.signIn(locale)} />
          </>
        ) : (
          <p data-testid="no-mail">{t("pwNoMail")}</p>
        )}
      </main>
    </>
  );
}

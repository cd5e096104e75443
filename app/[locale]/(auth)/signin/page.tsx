import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import AuthForm from "@/_components/auth/AuthForm";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages, safeNext } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "auth" });
  return { title: t("signInTitle"), robots: { index: false } };
}

/** Sign-in page: the form posts to better-auth; `next` (a local path only) is where it goes after. */
export default async function Page({
  params,
  searchParams,
}: {
  params: Promise<{ locale: string }>;
  searchParams: Promise<{ next?: string }>;
}) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "auth" });
  const tAccount = await getTranslations({ locale, namespace: "account" });
  const next = safeNext((await searchParams).next, localized(locale, "/"));
  return (
    <>
      <Header locale={locale} path="/signin" />
      <main id="content" className="page page--narrow auth-page">
        <h1>{t("signInTitle")}</h1>
        <p className="muted">{t("signInIntro")}</p>
        <AuthForm mode="signin" next={next} />
        <p>
          {t("noAccount")} <a href={pages.signUp(locale, next)}>{tAccount("signUp")}</a>
        </p>
        <p className="muted small">{t("instructorsNote")}</p>
      </main>
    </>
  );
}

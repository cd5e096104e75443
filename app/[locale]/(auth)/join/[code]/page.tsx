import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import JoinClass from "@/_components/auth/JoinClass";
import { getClassByCode, getMyAccount } from "@/_lib/dal/teaching";
import { Header, NeedAccount, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "join" });
  return { title: t("title"), robots: { index: false } };
}

/** The join link an instructor shares: shows the class, then one button joins it (after sign-up for guests). */
export default async function JoinCodePage({ params }: { params: Promise<{ locale: string; code: string }> }) {
  const locale = await pageLocale(params);
  const { code } = await params;
  const t = await getTranslations({ locale, namespace: "join" });
  const tAccount = await getTranslations({ locale, namespace: "account" });
  const [cls, me] = await Promise.all([getClassByCode(decodeURIComponent(code)), getMyAccount()]);
  const path = `/join/${encodeURIComponent(code)}`;
  const here = localized(locale, path);
  return (
    <>
      <Header locale={locale} path={path} />
      <main id="content" className="page page--narrow">
        {!cls ? (
          <>
            <h1>{t("title")}</h1>
            <p className="form-error" role="alert">
              {t("unknown")}
            </p>
            <JoinClass courseHref={localized(locale, "/")} />
          </>
        ) : (
          <>
            <h1>{t("classTitle", { name: cls.name })}</h1>
            {cls.instructorName && <p className="muted">{t("by", { name: cls.instructorName })}</p>}
            {me ? (
              <JoinClass code={decodeURIComponent(code)} courseHref={localized(locale, "/")} />
            ) : (
              <NeedAccount
                text={t("needAccount")}
                signUp={pages.signUp(locale, here)}
                signIn={pages.signIn(locale, here)}
                labels={[tAccount("signUp"), tAccount("signIn")]}
              />
            )}
          </>
        )}
      </main>
    </>
  );
}

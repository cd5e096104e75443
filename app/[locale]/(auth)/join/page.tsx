import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import JoinClass from "@/_components/auth/JoinClass";
import { getMyAccount, getMyEnrollments } from "@/_lib/dal/teaching";
import { Header, NeedAccount, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "join" });
  return { title: t("title"), robots: { index: false } };
}

/** Joining a class by typing its code; guests are asked to create an account first. */
export default async function JoinPage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "join" });
  const tAccount = await getTranslations({ locale, namespace: "account" });
  const [me, enrollments] = await Promise.all([getMyAccount(), getMyEnrollments()]);
  const here = localized(locale, "/join");
  return (
    <>
      <Header locale={locale} path="/join" />
      <main id="content" className="page page--narrow">
        <h1>{t("title")}</h1>
        {me ? (
          <>
            <p className="muted">{t("intro")}</p>
            <JoinClass courseHref={localized(locale, "/")} />
          </>
        ) : (
          <NeedAccount
            text={t("needAccount")}
            signUp={pages.signUp(locale, here)}
            signIn={pages.signIn(locale, here)}
            labels={[tAccount("signUp"), tAccount("signIn")]}
          />
        )}
        {enrollments.length > 0 && (
          <section aria-labelledby="my-classes">
            <h2 id="my-classes" className="section-title">
              {t("myClasses")}
            </h2>
            <ul>
              {enrollments.map((e) => (
                <li key={e.classId}>{e.name}</li>
              ))}
            </ul>
          </section>
        )}
      </main>
    </>
  );
}

import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import LocalTime from "@/_components/LocalTime";
import CopyField from "@/_components/instructor/CopyField";
import CreateClassForm from "@/_components/instructor/CreateClassForm";
import { getMyAccount, getMyClasses } from "@/_lib/dal/teaching";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "instructor" });
  return { title: t("title"), robots: { index: false } };
}

/** The instructor's classes: each with its join code and link, and a form for a new class. */
export default async function ClassesPage({ params }: { params: Promise<{ locale: string }> }) {
  const locale = await pageLocale(params);
  const t = await getTranslations({ locale, namespace: "instructor" });
  const me = await getMyAccount();
  if (!me || (me.role !== "instructor" && me.role !== "admin")) forbidden();
  const classes = await getMyClasses();
  return (
    <>
      <Header locale={locale} path="/instructor" />
      <main id="content" className="page instructor-page">
        <h1>{t("title")}</h1>
        <p className="muted">{t("intro")}</p>
        <section aria-labelledby="new-class" className="form-card">
          <h2 id="new-class" className="section-title">
            {t("newClass")}
          </h2>
          <CreateClassForm classHref={pages.class(locale, "__ID__")} />
        </section>
        {classes.length === 0 ? (
          <p className="muted">{t("noClasses")}</p>
        ) : (
          <ul className="class-list">
            {classes.map((c) => (
              <li key={c.id} className="class-card" data-testid="class-card">
                <h2 className="class-card__title">
                  <a href={pages.class(locale, c.id)}>{c.name}</a>
                </h2>
                <p className="muted small">
                  {t("learners", { n: c.learners })} · <LocalTime iso={c.createdAt.toISOString()} dateStyle="medium" />
                </p>
                <div className="class-card__codes">
                  <CopyField label={t("code")} value={c.code} />
                  <CopyField label={t("joinLink")} value={pages.join(locale, c.code)} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </main>
    </>
  );
}

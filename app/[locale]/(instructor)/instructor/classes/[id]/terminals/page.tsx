import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import TerminalGrid from "@/_components/roster/TerminalGrid";
import { ForbiddenError } from "@/_lib/dal/rules";
import { getManagedClass, getRunningSandboxes, NotFoundError } from "@/_lib/dal/teaching";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "roster" });
  return { title: t("grid"), robots: { index: false } };
}

/** Every running terminal of the class at once, read only (click one to enlarge). */
export default async function TerminalsPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const locale = await pageLocale(params);
  const { id } = await params;
  const t = await getTranslations({ locale, namespace: "roster" });
  let data;
  try {
    data = { cls: await getManagedClass(id), learners: await getRunningSandboxes(id) };
  } catch (e) {
    if (e instanceof ForbiddenError || e instanceof NotFoundError) forbidden();
    throw e;
  }
  return (
    <>
      <Header locale={locale} path={`/instructor/classes/${encodeURIComponent(id)}/terminals`} />
      <main id="content" className="page page--wide instructor-page">
        <p className="breadcrumb">
          <a href={pages.class(locale, id)}>{t("backToClass", { name: data.cls.name })}</a>
        </p>
        <h1>{t("grid")}</h1>
        <p className="muted">{t("gridHelp")}</p>
        {data.learners.length === 0 ? <p className="muted">{t("gridEmpty")}</p> : <TerminalGrid learners={data.learners} />}
      </main>
    </>
  );
}

import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import ClassMatrix, { type MatrixColumn } from "@/_components/instructor/ClassMatrix";
import CopyField from "@/_components/instructor/CopyField";
import LtiClassPanel from "@/_components/instructor/LtiClassPanel";
import { getCourse } from "@/_lib/content";
import { cellKey } from "@/_lib/dal/class-matrix";
import { ForbiddenError } from "@/_lib/dal/rules";
import { getClassMatrix, NotFoundError } from "@/_lib/dal/teaching";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { myClassLmsStatus } from "@/_lib/lti";
import { pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "instructor" });
  return { title: t("matrixTitle"), robots: { index: false } };
}

/** One class: join code and link, the live roster × exercises matrix, the CSV export. */
export default async function ClassPage({ params }: { params: Promise<{ locale: string; id: string }> }) {
  const locale = await pageLocale(params);
  const { id } = await params;
  const t = await getTranslations({ locale, namespace: "instructor" });
  const path = `/instructor/classes/${encodeURIComponent(id)}`;
  let matrix;
  try {
    matrix = await getClassMatrix(id);
  } catch (e) {
    if (e instanceof ForbiddenError || e instanceof NotFoundError) forbidden();
    throw e;
  }
  const course = await getCourse();
  const lms = await myClassLmsStatus(id);
  const columns: MatrixColumn[] = course.lessons.flatMap((l, i) =>
    l.exercises.map((e) => ({
      key: cellKey({ lessonId: l.id, exerciseId: e.id }),
      exerciseId: e.id,
      exerciseTitle: e.title[locale],
      lessonTitle: l.content[locale].title,
      lessonNumber: i + 1,
    })),
  );
  return (
    <>
      <Header locale={locale} path={path} />
      <main id="content" className="page page--wide instructor-page">
        <p className="breadcrumb">
          <a href={pages.classes(locale)}>{t("back")}</a>
        </p>
        <h1>{matrix.name}</h1>
        <div className="class-card__codes">
          <CopyField label={t("code")} value={matrix.code} testId="class-code" />
          <CopyField label={t("joinLink")} value={pages.join(locale, matrix.code)} testId="join-link" />
          <a className="btn btn--ghost" href={`/api/classes/${encodeURIComponent(id)}/export`} download data-testid="export-csv">
            {t("exportCsv")}
          </a>
        </div>
        {lms && <LtiClassPanel classId={id} {...lms} />}
        <ClassMatrix classId={id} columns={columns} initialRows={matrix.rows} learnerHref={pages.learner(locale, id, "__USER__")} />
      </main>
    </>
  );
}

import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { getTranslations } from "next-intl/server";
import ClassMatrix, { type MatrixColumn } from "@/_components/instructor/ClassMatrix";
import CopyField from "@/_components/instructor/CopyField";
import LtiClassPanel from "@/_components/instructor/LtiClassPanel";
import ClassTools from "@/_components/roster/ClassTools";
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
  const tr = await getTranslations({ locale, namespace: "roster" });
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
  // Only the assigned lessons when the class has assignments (the matrix's columns say which).
  const counted = new Set(matrix.columns.map((c) => c.lessonId));
  const columns: MatrixColumn[] = course.lessons.flatMap((l, i) =>
    l.exercises
      .filter(() => counted.has(l.id))
      .map((e) => ({
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
        <h1>
          {matrix.name}
          {matrix.archivedAt && <span className="muted small"> ({tr("archived")})</span>}
        </h1>
        <div className="class-card__codes">
          <CopyField label={t("code")} value={matrix.code} testId="class-code" />
          <CopyField label={t("joinLink")} value={pages.join(locale, matrix.code)} testId="join-link" />
          <a className="btn btn--ghost" href={`/api/classes/${encodeURIComponent(id)}/export`} download data-testid="export-csv">
            {t("exportCsv")}
          </a>
          <a
            className="btn btn--ghost"
            href={`/api/classes/${encodeURIComponent(id)}/export?format=wide`}
            download
            data-testid="export-wide"
          >
            {tr("exportWide")}
          </a>
        </div>
        {lms && <LtiClassPanel classId={id} {...lms} />}
        <p className="button-row">
          <a className="btn btn--ghost btn--small" href={`${pages.class(locale, id)}/projector`} data-testid="projector-open">
            {tr("projector")}
          </a>
          <a className="btn btn--ghost btn--small" href={`${pages.class(locale, id)}/terminals`} data-testid="grid-open">
            {tr("grid")}
          </a>
        </p>
        <ClassTools
          classId={id}
          name={matrix.name}
          archived={!!matrix.archivedAt}
          joinPath={pages.join(locale, "__CODE__")}
          classesHref={pages.classes(locale)}
          lessons={course.lessons.map((l) => {
            const a = matrix.assignments.find((x) => x.lessonId === l.id);
            return { id: l.id, title: l.content[locale].title, assigned: !!a, dueAt: a?.dueAt?.toISOString() ?? null };
          })}
        />
        <ClassMatrix
          classId={id}
          columns={columns}
          quizTotal={matrix.questions.length}
          initialRows={matrix.rows}
          learnerHref={pages.learner(locale, id, "__USER__")}
        />
      </main>
    </>
  );
}

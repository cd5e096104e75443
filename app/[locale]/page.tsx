import NextLink from "next/link";
import { notFound } from "next/navigation";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { alternatePaths, lessonPath } from "@/_i18n/paths";
import { routing, type Locale } from "@/_i18n/routing";
import { getCourse, outlines } from "@/_lib/content";
import { getMyCourseRecords, getViewer } from "@/_lib/dal";
import { courseProgress, resumeLessonId } from "@/_lib/dal/progress-rules";
import SiteHeader from "@/_lib/site-header";

/** The course map: lessons in order with the learner's progress, and a way back into the course. */
export default async function CourseMap({ params }: { params: Promise<{ locale: string }> }) {
  const { locale: raw } = await params;
  if (!hasLocale(routing.locales, raw)) notFound();
  const locale: Locale = raw;
  setRequestLocale(locale);
  const t = await getTranslations({ locale, namespace: "home" });

  const [course, records, viewer] = await Promise.all([getCourse(), getMyCourseRecords(), getViewer()]);
  const progress = courseProgress(outlines(course), records.passed);
  const byId = new Map(progress.map((p) => [p.lessonId, p]));
  const resumeId = resumeLessonId(outlines(course), progress, records.lastVisitedLessonId);
  const resume = course.lessons.find((l) => l.id === resumeId);
  const started = records.lastVisitedLessonId !== null || progress.some((p) => p.passed > 0);
  const doneCount = progress.filter((p) => p.done).length;

  return (
    <>
      <SiteHeader locale={locale} alternates={alternatePaths(null)} />
      <main id="content" className="page course-map">
        <section className="hero">
          <h1 className="hero__title">{t("title")}</h1>
          <p className="hero__intro">{t("intro")}</p>
          <div className="hero__actions">
            {resume && (
              <NextLink className="btn btn--primary btn--large" href={lessonPath(locale, resume.slugs[locale])}>
                {started ? t("continue") : t("start")}
                <span className="btn__sub">{resume.content[locale].title}</span>
              </NextLink>
            )}
            {course.lessons.length > 0 && (
              <p className="hero__overall">
                <span className="overall-meter" aria-hidden="true">
                  <span style={{ width: `${(doneCount / course.lessons.length) * 100}%` }} />
                </span>
                {t("overall", { done: doneCount, total: course.lessons.length })}
              </p>
            )}
          </div>
        </section>

        <section aria-labelledby="lessons-heading">
          <h2 id="lessons-heading" className="section-title">
            {t("lessonsHeading")}
          </h2>
          {course.lessons.length === 0 ? (
            <p>{t("empty")}</p>
          ) : (
            <ol className="lesson-list">
              {course.lessons.map((lesson, i) => {
                const p = byId.get(lesson.id)!;
                const status = p.done ? "done" : p.passed > 0 || records.lastVisitedLessonId === lesson.id ? "inProgress" : "notStarted";
                const c = lesson.content[locale];
                return (
                  <li key={lesson.id} className={`lesson-card lesson-card--${status}`}>
                    <span className="lesson-card__number" aria-hidden="true">
                      {p.done ? "✓" : i + 1}
                    </span>
                    <div className="lesson-card__main">
                      <p className="lesson-card__eyebrow">
                        {t("lessonNumber", { n: i + 1 })} · {t("minutes", { n: lesson.durationMinutes })}
                      </p>
                      <h3 className="lesson-card__title">
                        <NextLink href={lessonPath(locale, lesson.slugs[locale])} className="lesson-card__link">
                          {c.title}
                        </NextLink>
                      </h3>
                      <p className="lesson-card__summary">{c.summary}</p>
                    </div>
                    <div className="lesson-card__progress">
                      <span className={`badge badge--${status}`}>{t(status)}</span>
                      <progress max={p.total} value={p.passed} aria-label={t("progressLabel", { title: c.title })} />
                      <span className="lesson-card__count">{t("progress", { passed: p.passed, total: p.total })}</span>
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
          <p className="muted small">{viewer?.kind === "account" ? t("accountNote") : t("guestNote")}</p>
        </section>
      </main>
    </>
  );
}

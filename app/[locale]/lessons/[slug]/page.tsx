import type { Metadata } from "next";
import NextLink from "next/link";
import { notFound } from "next/navigation";
import { hasLocale } from "next-intl";
import { getTranslations, setRequestLocale } from "next-intl/server";
import { alternatePaths, homePath, lessonPath } from "@/_i18n/paths";
import { routing, type Locale } from "@/_i18n/routing";
import SplitLayout from "@/_components/terminal/SplitLayout";
import TerminalPanel from "@/_components/terminal/TerminalPanel";
import { LessonEndCard, type CourseNav } from "@/_components/exercises/LessonComplete";
import PassAnnouncer from "@/_components/exercises/PassAnnouncer";
import TaskPanel from "@/_components/exercises/TaskPanel";
import VisitRecorder from "@/_components/course/VisitRecorder";
import ClassroomNotice from "@/_components/roster/ClassroomNotice";
import { getCourse, getLessonBySlug } from "@/_lib/content";
import { renderLesson } from "@/_lib/mdx/render";
import SiteHeader from "@/_lib/site-header";

type Params = Promise<{ locale: string; slug: string }>;

// Every lesson in every language is prerendered; other slugs are 404s.
export const dynamicParams = false;

export async function generateStaticParams() {
  const course = await getCourse();
  return routing.locales.flatMap((locale) => course.lessons.map((l) => ({ locale, slug: l.slugs[locale] })));
}

async function resolve(params: Params) {
  const { locale, slug } = await params;
  if (!hasLocale(routing.locales, locale)) notFound();
  const lesson = await getLessonBySlug(locale, slug);
  if (!lesson) notFound();
  return { locale: locale as Locale, lesson };
}

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { locale, lesson } = await resolve(params);
  const c = lesson.content[locale];
  return {
    title: c.title,
    description: c.summary,
    alternates: { canonical: lessonPath(locale, lesson.slugs[locale]), languages: alternatePaths(lesson.slugs) },
  };
}

export default async function LessonPage({ params }: { params: Params }) {
  const { locale, lesson } = await resolve(params);
  setRequestLocale(locale);
  const t = await getTranslations({ locale, namespace: "lesson" });
  const course = await getCourse();
  const index = course.lessons.findIndex((l) => l.id === lesson.id);
  const prev = course.lessons[index - 1];
  const next = course.lessons[index + 1];
  const c = lesson.content[locale];
  const body = await renderLesson(lesson, locale);
  const nav: CourseNav = {
    lessonId: lesson.id,
    lessonTitle: c.title,
    lessons: course.lessons.map((l) => ({ id: l.id, title: l.content[locale].title, href: lessonPath(locale, l.slugs[locale]) })),
    mapHref: homePath(locale),
  };

  const article = (
    <article className="lesson" aria-labelledby="lesson-title">
      <nav className="breadcrumb" aria-label={t("position")}>
        <NextLink href={homePath(locale)}>← {t("backToMap")}</NextLink>
        <span className="muted">{t("pager", { n: index + 1, total: course.lessons.length })}</span>
      </nav>
      <header className="lesson__header">
        <h1 id="lesson-title">{c.title}</h1>
        <p className="lesson__summary">{c.summary}</p>
        <p className="lesson__meta">{t("minutes", { n: lesson.durationMinutes })}</p>
      </header>
      <div className="prose">{body}</div>
      <LessonEndCard nav={nav} />
      <nav className="lesson-pager" aria-label={t("lessonNav")}>
        {prev ? (
          <NextLink className="lesson-pager__link" href={lessonPath(locale, prev.slugs[locale])} rel="prev">
            <span className="lesson-pager__dir">← {t("previous")}</span>
            <span className="lesson-pager__title">{prev.content[locale].title}</span>
          </NextLink>
        ) : (
          <span />
        )}
        {next && (
          <NextLink className="lesson-pager__link lesson-pager__link--next" href={lessonPath(locale, next.slugs[locale])} rel="next">
            <span className="lesson-pager__dir">{t("next")} →</span>
            <span className="lesson-pager__title">{next.content[locale].title}</span>
          </NextLink>
        )}
      </nav>
      <VisitRecorder lessonId={lesson.id} />
    </article>
  );

  return (
    <>
      <SiteHeader locale={locale} alternates={alternatePaths(lesson.slugs)} />
      <main id="content" className="lesson-page">
        <SplitLayout
          lesson={article}
          workspace={
            <>
              <TerminalPanel lessonId={lesson.id} locale={locale} />
              <TaskPanel nav={nav} />
            </>
          }
        />
        <PassAnnouncer lessonId={lesson.id} />
        <ClassroomNotice lessonId={lesson.id} locale={locale} />
      </main>
    </>
  );
}

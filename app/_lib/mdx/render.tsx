import { evaluate } from "@mdx-js/mdx";
import { getTranslations } from "next-intl/server";
import type { MDXComponents } from "mdx/types";
import * as runtime from "react/jsx-runtime";
import type { ReactNode } from "react";
import type { CalloutKind, DiagramName } from "@content/lib/components";
import type { Lesson } from "@content/lib/load";
import { lessonRemarkPlugins } from "@content/lib/mdx-options";
import type { Locale } from "@/_i18n/routing";
import ExerciseChecklist from "@/_components/exercises/ExerciseChecklist";
import HostKernel from "@/_components/course/HostKernel";
import QuizBlock from "@/_components/course/QuizBlock";
import RunBlock from "@/_components/course/RunBlock";
import Callout from "./Callout";
import Diagram from "./Diagram";

/**
 * Renders a lesson's MDX body on the server (at build time: lesson pages are prerendered). Only the
 * components in content/lib/components.ts exist; the content loader already refused any other.
 */
export async function renderLesson(lesson: Lesson, locale: Locale): Promise<ReactNode> {
  const content = lesson.content[locale];
  const t = await getTranslations({ locale, namespace: "lesson" });
  const { default: Body } = await evaluate(content.source, {
    ...runtime,
    development: false,
    remarkPlugins: await lessonRemarkPlugins(),
  });

  const exercises = lesson.exercises.map((e) => ({
    id: e.id,
    title: e.title[locale],
    goal: e.goal[locale],
    hints: e.hints.map((h) => h[locale]),
    solution: e.scripts.solution,
    explanation: e.explanation[locale],
  }));

  const components: MDXComponents = {
    Run: ({ command }: { command: string }) => <RunBlock command={command} />,
    Callout: ({ kind, title, children }: { kind: CalloutKind; title?: string; children?: ReactNode }) => (
      <Callout kind={kind} title={title} locale={locale}>
        {children}
      </Callout>
    ),
    Diagram: ({ name }: { name: DiagramName }) => <Diagram name={name} locale={locale} />,
    Quiz: () => <QuizBlock lessonId={lesson.id} questions={content.quiz} />,
    Exercises: () => <ExerciseChecklist lessonId={lesson.id} exercises={exercises} locale={locale} />,
    HostKernel: () => <HostKernel />,
    // Headings inside the body start at h2 (the page's h1 is the lesson title).
    h1: (props) => <h2 {...props} />,
    // Markdown tables (GFM): a wrapper that scrolls sideways on a narrow screen rather than the
    // page (a named region that takes focus, so a keyboard can scroll it too), and header cells
    // that say they head their column.
    table: (props) => (
      <div className="lesson-table" role="region" aria-label={t("table")} tabIndex={0}>
        <table {...props} />
      </div>
    ),
    th: (props) => <th scope="col" {...props} />,
  };
  return <Body components={components} />;
}

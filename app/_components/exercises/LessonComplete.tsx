"use client";

import { useEffect, useState } from "react";
import NextLink from "next/link";
import { useTranslations } from "next-intl";
import { myCourseProgress } from "@/_lib/actions/learning";
import type { ChecklistExercise } from "./ExerciseChecklist";
import { useLesson } from "./lesson-store";
import { afterLesson, type CourseLesson } from "./task";

/** Where the lesson sits in the course (from the page: titles and links in the page's language). */
export interface CourseNav {
  lessonId: string;
  lessonTitle: string;
  lessons: { id: string; title: string; href: string }[];
  mapHref: string;
}

/**
 * The end of a lesson: that it is complete, what the learner practised (the exercises' titles),
 * and what next: the next lesson, or at the last one the course's end (or the lessons still open).
 */
export default function LessonComplete({
  nav,
  exercises,
  headingLevel = 2,
}: {
  nav: CourseNav;
  exercises: ChecklistExercise[];
  headingLevel?: 2 | 3;
}) {
  const t = useTranslations("task");
  const [lessons, setLessons] = useState<CourseLesson[] | null>(null);
  const isLast = nav.lessons.at(-1)?.id === nav.lessonId;
  useEffect(() => {
    if (!isLast) return;
    let live = true;
    void myCourseProgress().then((r) => live && r.ok && setLessons(r.value));
    return () => {
      live = false;
    };
  }, [isLast]);

  const after = afterLesson(
    nav.lessons.map((l) => l.id),
    nav.lessonId,
    lessons,
  );
  const byId = new Map(nav.lessons.map((l) => [l.id, l]));
  const H = headingLevel === 2 ? "h2" : "h3";
  const courseDone = after.kind === "course-complete";

  return (
    <div className="lesson-complete" data-testid="lesson-complete" data-course-complete={courseDone ? "1" : "0"}>
      <H className="lesson-complete__title">
        <span aria-hidden="true" className="lesson-complete__mark">
          ✓
        </span>{" "}
        {courseDone ? t("courseDone") : t("lessonDone")}
      </H>
      <p>{courseDone ? t("courseDoneBody") : t("lessonDoneBody", { lesson: nav.lessonTitle })}</p>
      <p className="lesson-complete__learned-title">{t("learned")}</p>
      <ul className="lesson-complete__learned">
        {exercises.map((e) => (
          <li key={e.id}>{e.title}</li>
        ))}
      </ul>
      <div className="lesson-complete__next">
        {after.kind === "next" && byId.get(after.lessonId) && (
          <NextLink className="btn btn--primary btn--small" href={byId.get(after.lessonId)!.href}>
            {t("nextLesson", { title: byId.get(after.lessonId)!.title })} →
          </NextLink>
        )}
        {after.kind === "lessons-left" && (
          <>
            <p>{t("lessonsLeft")}</p>
            <ul className="lesson-complete__left">
              {after.lessonIds.map((id) =>
                byId.get(id) ? (
                  <li key={id}>
                    <NextLink href={byId.get(id)!.href}>{byId.get(id)!.title}</NextLink>
                  </li>
                ) : null,
              )}
            </ul>
          </>
        )}
        {after.kind !== "next" && (
          <NextLink className="btn btn--ghost btn--small" href={nav.mapHref}>
            {t("toMap")}
          </NextLink>
        )}
      </div>
    </div>
  );
}

/** The completion state at the end of the lesson's text, once every exercise passed. */
export function LessonEndCard({ nav }: { nav: CourseNav }) {
  const lesson = useLesson(nav.lessonId);
  if (!lesson || lesson.exercises.length === 0 || !lesson.exercises.every((e) => lesson.progress[e.id]?.passed)) return null;
  return (
    <section className="lesson-end" aria-label={nav.lessonTitle}>
      <LessonComplete nav={nav} exercises={lesson.exercises} headingLevel={2} />
    </section>
  );
}

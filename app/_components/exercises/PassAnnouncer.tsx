"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { ExerciseProgress } from "@/_lib/actions/sandbox";
import { useLesson } from "./lesson-store";
import { currentExercise, newlyPassed } from "./task";

const SHOWN_MS = 9000;

/**
 * A pass is news wherever the learner is scrolled (or whichever pane a phone shows): a fixed toast
 * in a live region that is always in the page (so screen readers announce what appears in it).
 * Passes already recorded when the page loaded are history, not news.
 */
export default function PassAnnouncer({ lessonId }: { lessonId: string }) {
  const t = useTranslations("task");
  const lesson = useLesson(lessonId);
  const [text, setText] = useState("");
  const seen = useRef<Record<string, ExerciseProgress> | null>(null);

  useEffect(() => {
    if (!lesson?.loaded) return;
    const before = seen.current;
    seen.current = lesson.progress;
    if (!before) return; // the baseline: what was already done
    const passed = newlyPassed(lesson.exercises, before, lesson.progress);
    if (!passed.length) return;
    const next = currentExercise(lesson.exercises, lesson.progress);
    const done = passed.map((e) => t("passed", { title: e.title })).join(" ");
    setText(`${done} ${next ? t("passedNext", { title: next.title }) : t("lessonDone")}`);
  }, [lesson, t]);

  useEffect(() => {
    if (!text) return;
    const timer = setTimeout(() => setText(""), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [text]);

  return (
    <div
      className="pass-toast"
      role="status"
      aria-live="polite"
      aria-atomic="true"
      data-testid="pass-announcement"
      data-shown={text ? "1" : "0"}
    >
      {text && (
        <p className="pass-toast__body">
          <span aria-hidden="true" className="pass-toast__mark">
            ✓
          </span>{" "}
          {text}
        </p>
      )}
    </div>
  );
}

"use client";

import { useState, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { StateIcon } from "./ExerciseChecklist";
import { CHECK_REQUEST_EVENT, HELP_REQUEST_EVENT, emit, type HelpRequestDetail } from "./events";
import InlineMarkdown from "./InlineMarkdown";
import LessonComplete, { type CourseNav } from "./LessonComplete";
import { useLesson } from "./lesson-store";
import { currentExercise } from "./task";

/**
 * The current task beside the terminal (Killercoda/iximiuz style): the exercise to do now, its
 * live status and last message, Check, the next hint and the solution; the lesson's completion
 * once every exercise passed. It shows the checklist's state (lesson-store) and asks the checklist
 * to act (events), so the two never disagree. First focusable element: Check, so Esc then Tab from
 * the terminal lands on it. `notices`: a slot for messages to the learner (e.g. from the instructor).
 */
export default function TaskPanel({ nav, notices }: { nav: CourseNav; notices?: ReactNode }) {
  const t = useTranslations("task");
  const te = useTranslations("exercises");
  const lesson = useLesson(nav.lessonId);
  // The exercise the learner moved to with ‹ ›; forgotten once it passes (the task moves on).
  const [picked, setPicked] = useState<string | null>(null);
  if (!lesson || lesson.exercises.length === 0) return null;

  const { exercises, progress, checking } = lesson;
  const pick = picked && !progress[picked]?.passed ? picked : null;
  const ex = currentExercise(exercises, progress, pick);
  const i = ex ? exercises.indexOf(ex) : -1;
  const p = ex ? progress[ex.id] : undefined;
  const state = p?.passed ? "passed" : p?.checked ? "failed" : "pending";
  const hintsShown = p?.hintsShown ?? 0;
  const lastHint = ex && hintsShown > 0 ? ex.hints[Math.min(hintsShown, ex.hints.length) - 1] : undefined;
  const help = (kind: HelpRequestDetail["kind"]) => ex && emit<HelpRequestDetail>(HELP_REQUEST_EVENT, { exerciseId: ex.id, kind });
  const move = (d: number) => {
    const next = exercises[(i + d + exercises.length) % exercises.length];
    if (next) setPicked(next.id);
  };

  return (
    <section
      className="task-panel"
      aria-labelledby="task-panel-title"
      data-testid="task-panel"
      data-exercise={ex?.id ?? ""}
      data-state={ex ? state : "complete"}
    >
      {ex ? (
        <>
          <div className="task-panel__head">
            <h2 id="task-panel-title" className="task-panel__title">
              <span className="task-panel__eyebrow">
                {t("label")} · {t("position", { n: i + 1, total: exercises.length })}
              </span>
              <span className="task-panel__name">
                <StateIcon state={state} /> {ex.title}
              </span>
            </h2>
            {/* Never disabled (a disabled button drops the focus); a press during a run queues one more. */}
            <button
              type="button"
              className="btn btn--primary btn--small task-panel__check"
              aria-label={t("checkLabel", { title: ex.title })}
              aria-busy={checking}
              aria-keyshortcuts="Escape Tab"
              onClick={() => emit(CHECK_REQUEST_EVENT, {})}
            >
              {checking ? t("checking") : t("check")}
            </button>
          </div>
          <p className="task-panel__state">{t("state", { state: te(state) })}</p>
          <p className="task-panel__goal">
            <InlineMarkdown text={ex.goal} />
          </p>
          {state === "failed" && p?.message && <p className="task-panel__message">{p.message}</p>}
          {lastHint && (
            <p className="task-panel__hint">
              <strong>{te("hint", { n: Math.min(hintsShown, ex.hints.length), total: ex.hints.length })}:</strong>{" "}
              <InlineMarkdown text={lastHint} />
            </p>
          )}
          {p?.solutionShown && (
            <pre className="code-box task-panel__solution">
              <code>{ex.solution}</code>
            </pre>
          )}
          <div className="task-panel__actions">
            {ex.hints.length > 0 && !p?.passed && (
              <button
                type="button"
                className="btn btn--ghost btn--small"
                onClick={() => help("hint")}
                disabled={hintsShown >= ex.hints.length}
              >
                {hintsShown >= ex.hints.length ? te("noMoreHints") : hintsShown > 0 ? t("moreHint") : t("hint")}
              </button>
            )}
            {ex.solution && !p?.solutionShown && (
              <button type="button" className="btn btn--ghost btn--small" onClick={() => help("solution")}>
                {te("showSolution")}
              </button>
            )}
            {exercises.length > 1 && (
              <span className="task-panel__nav">
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={t("previous")}
                  title={t("previous")}
                  onClick={() => move(-1)}
                >
                  ‹
                </button>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-label={t("next")}
                  title={t("next")}
                  onClick={() => move(1)}
                >
                  ›
                </button>
              </span>
            )}
          </div>
          <p className="task-panel__keys">{t("keys")}</p>
        </>
      ) : (
        <>
          <h2 id="task-panel-title" className="visually-hidden">
            {t("label")}
          </h2>
          <LessonComplete nav={nav} exercises={exercises} headingLevel={3} />
        </>
      )}
      {lesson.error && (
        <p role="alert" className="task-panel__error">
          {lesson.error}
        </p>
      )}
      <div className="task-panel__notices" data-slot="notices" aria-label={t("notices")} role="region" hidden={!notices}>
        {notices}
      </div>
    </section>
  );
}

"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { openHint, openSolution } from "@/_lib/actions/learning";
import { loadProgress, runChecks, type ExerciseProgress } from "@/_lib/actions/sandbox";
import { sandboxErrorText } from "@/_i18n/sandbox-errors";
import { CHECK_REQUEST_EVENT, COMMAND_FINISHED_EVENT, HELP_REQUEST_EVENT, on, type HelpRequestDetail } from "./events";
import { publishLesson } from "./lesson-store";
import { autoCheckScheduler } from "./scheduler";
import InlineMarkdown from "./InlineMarkdown";
import { STUCK_FAILED_CHECKS } from "@/_lib/stuck";

/**
 * The lesson's exercise list. Checks run by themselves after each command the learner finishes in
 * the terminal (debounced, one run in flight) and when the learner presses "Verificar"/"Check".
 * Hints open one at a time; the solution opens on request, and is offered after 3 failed checks the
 * learner asked for (counted from the recorded attempts, so a reload keeps the count). Everything
 * (checks, hints, solutions) is recorded on the server; a reload restores it, with when each passed.
 * Its state is published (lesson-store) for the task panel beside the terminal, which asks it to
 * check or open help through the page's events.
 */
export interface ChecklistExercise {
  id: string;
  title: string;
  goal: string;
  hints: string[];
  solution: string;
  explanation: string;
}

export interface ExerciseChecklistProps {
  lessonId: string;
  exercises: ChecklistExercise[];
  locale: string;
  /** Optional server-loaded progress (else it is fetched on mount). */
  initialProgress?: ExerciseProgress[];
}

/** The same threshold that makes the exercise "stuck" in the instructor's matrix (app/_lib/stuck.ts). */
export const SOLUTION_OFFER_AFTER_FAILS = STUCK_FAILED_CHECKS;
/** Automatic Checks run at once after a command, then at most once per this long (see scheduler.ts). */
const AUTO_MIN_GAP_MS = 600;

export default function ExerciseChecklist({ lessonId, exercises, locale, initialProgress }: ExerciseChecklistProps) {
  const t = useTranslations("exercises");
  const tErr = useTranslations("sandboxErrors");
  const [progress, setProgress] = useState<Record<string, ExerciseProgress>>(() => index(initialProgress ?? []));
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(!!initialProgress);

  const run = useCallback(
    async (trigger: "auto" | "manual") => {
      setChecking(true);
      try {
        const r = await runChecks(lessonId, trigger, locale);
        if (r.ok) {
          // A check the database could not take yet was kept and lands later: say so, not "error".
          setError(r.saveNotice === "kept" ? t("kept") : null);
          setProgress((p) => merge(p, r.results));
        } else if (trigger === "manual" || r.code !== "runner-down") {
          setError(sandboxErrorText(tErr, r.code, r.retryAfter, r.position));
        }
      } catch {
        if (trigger === "manual") setError(t("unknownError"));
      } finally {
        setChecking(false);
      }
    },
    [lessonId, locale, t, tErr],
  );

  const scheduler = useRef<ReturnType<typeof autoCheckScheduler> | null>(null);
  useEffect(() => {
    const s = autoCheckScheduler({ minGapMs: AUTO_MIN_GAP_MS, run: (trigger) => run(trigger) });
    scheduler.current = s;
    const off1 = on(COMMAND_FINISHED_EVENT, () => s.request("auto"));
    return () => {
      off1();
      s.dispose();
    };
  }, [run]);

  useEffect(() => {
    if (initialProgress) return;
    let live = true;
    void loadProgress(lessonId)
      .then((r) => {
        if (live && r.ok) setProgress((p) => merge(p, r.results));
      })
      .finally(() => live && setLoaded(true));
    return () => {
      live = false;
    };
  }, [lessonId, initialProgress]);

  const help = (exerciseId: string, kind: "hint" | "solution") => {
    const cur = progress[exerciseId] ?? empty(exerciseId);
    const next = kind === "hint" ? { ...cur, hintsShown: cur.hintsShown + 1 } : { ...cur, solutionShown: true };
    setProgress((p) => ({ ...p, [exerciseId]: next }));
    // Recorded on the server (H6a's learning actions); the page shows it at once either way.
    const saved = kind === "hint" ? openHint(lessonId, exerciseId, cur.hintsShown) : openSolution(lessonId, exerciseId);
    void saved.catch(() => undefined);
  };

  // The task panel beside the terminal shows the same state and asks for the same actions.
  useEffect(() => {
    publishLesson({ lessonId, exercises, progress, checking, loaded, error });
  }, [lessonId, exercises, progress, checking, loaded, error]);
  useEffect(() => () => publishLesson(null), []);
  const helpRef = useRef(help);
  useEffect(() => {
    helpRef.current = help;
  });
  useEffect(() => {
    const off1 = on(CHECK_REQUEST_EVENT, () => scheduler.current?.request("manual"));
    const off2 = on<HelpRequestDetail>(HELP_REQUEST_EVENT, ({ exerciseId, kind }) => {
      if (exercises.some((e) => e.id === exerciseId)) helpRef.current(exerciseId, kind === "solution" ? "solution" : "hint");
    });
    return () => {
      off1();
      off2();
    };
  }, [exercises]);

  const done = exercises.length > 0 && exercises.every((e) => progress[e.id]?.passed);

  return (
    <section aria-labelledby="course-exercises-title" className="course-exercises" data-checking={checking ? "1" : "0"}>
      <header className="course-exercises__header">
        <h2 id="course-exercises-title">{t("heading")}</h2>
        {/* Never disabled: a disabled button drops the keyboard focus; a press during a run queues one more run. */}
        <button
          type="button"
          className="btn btn--primary btn--small"
          onClick={() => scheduler.current?.request("manual")}
          aria-busy={checking}
        >
          {checking ? t("checking") : t("check")}
        </button>
      </header>
      <p className="course-exercises__note">{t("autoNote")}</p>
      {error && (
        <p role="alert" data-testid="checklist-error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="course-exercises__done">
          {t("allDone")}
        </p>
      )}
      <ol className="course-exercises__list">
        {exercises.map((ex) => {
          const p = progress[ex.id] ?? empty(ex.id);
          const state = p.passed ? "passed" : p.checked ? "failed" : "pending";
          const shownHints = ex.hints.slice(0, p.hintsShown);
          const offerSolution = !p.passed && !p.solutionShown && p.failedChecks >= SOLUTION_OFFER_AFTER_FAILS;
          return (
            <li key={ex.id} data-exercise-id={ex.id} data-state={state} className={`exercise exercise--${state}`}>
              <h3 className="exercise__title">
                <StateIcon state={state} /> {ex.title}{" "}
                <span className="course-exercise-state">
                  ({t(state === "passed" ? "passed" : state === "failed" ? "failed" : "pending")})
                </span>
              </h3>
              {p.passed && p.passedAt && (
                <p data-testid="passed-at" className="exercise__when">
                  {t("passedAt")} <time dateTime={p.passedAt}>{formatWhen(p.passedAt, locale)}</time>
                </p>
              )}
              <p>
                <strong>{t("goal")}:</strong> <InlineMarkdown text={ex.goal} />
              </p>
              <div aria-live="polite" data-testid="check-message">
                {!p.passed && p.message && <p className="exercise__message">{p.message}</p>}
                {p.passed && ex.explanation && (
                  <div className="exercise__explanation">
                    <strong>{t("explanation")}:</strong>{" "}
                    <p>
                      <InlineMarkdown text={ex.explanation} />
                    </p>
                  </div>
                )}
              </div>
              {shownHints.map((h, i) => (
                <p key={i} data-testid="hint" className="exercise__hint">
                  <strong>{t("hint", { n: i + 1, total: ex.hints.length })}:</strong> <InlineMarkdown text={h} />
                </p>
              ))}
              <div className="exercise__actions">
                {!p.passed && ex.hints.length > 0 && (
                  <button
                    type="button"
                    className="btn btn--ghost btn--small"
                    onClick={() => help(ex.id, "hint")}
                    disabled={p.hintsShown >= ex.hints.length}
                  >
                    {p.hintsShown >= ex.hints.length ? t("noMoreHints") : t("showHint")}
                  </button>
                )}
                {offerSolution && (
                  <span data-testid="solution-offer" role="note">
                    {t("solutionOffered", { fails: p.failedChecks })}
                  </span>
                )}
                {!p.solutionShown && ex.solution && (
                  <button type="button" className="btn btn--ghost btn--small" onClick={() => help(ex.id, "solution")}>
                    {t("showSolution")}
                  </button>
                )}
              </div>
              {p.solutionShown && (
                <div data-testid="solution" className="exercise__solution">
                  <strong>{t("solution")}:</strong>
                  <pre className="code-box">
                    <code>{ex.solution}</code>
                  </pre>
                </div>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/**
 * The exercise's state as a drawn icon (emoji need an emoji font, else they show as empty boxes).
 * Decorative: the state is said in words right after the title, for everyone.
 */
export function StateIcon({ state }: { state: "passed" | "failed" | "pending" }) {
  // Colours from the stylesheet (.state-icon--*: currentColor), so both themes apply.
  return (
    <svg
      data-icon={state}
      aria-hidden="true"
      focusable="false"
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      className={`state-icon state-icon--${state}`}
    >
      {state === "pending" ? (
        <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
      ) : (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path
            d={state === "passed" ? "M4.5 8.2l2.3 2.3 4.7-4.9" : "M5.3 5.3l5.4 5.4M10.7 5.3l-5.4 5.4"}
            fill="none"
            className="state-icon__mark"
            strokeWidth="1.8"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </>
      )}
    </svg>
  );
}

function empty(exerciseId: string): ExerciseProgress {
  return { exerciseId, passed: false, checked: false, message: "", failedChecks: 0, passedAt: null, hintsShown: 0, solutionShown: false };
}

function formatWhen(iso: string, locale: string): string {
  try {
    return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  } catch {
    return iso;
  }
}
/**
 * Server results merged into what the page shows: help the learner opened here may not be recorded
 * yet when a Check's answer comes back, and a pass is never taken back.
 */
function merge(local: Record<string, ExerciseProgress>, fromServer: ExerciseProgress[]): Record<string, ExerciseProgress> {
  const out = { ...local };
  for (const s of fromServer) {
    const l = local[s.exerciseId];
    out[s.exerciseId] = l
      ? {
          ...s,
          passed: s.passed || l.passed,
          checked: s.checked || l.checked,
          message: s.checked ? s.message : l.message,
          // The server counts from the recorded attempts: it is the truth once it answers.
          failedChecks: s.failedChecks,
          passedAt: s.passedAt ?? l.passedAt,
          hintsShown: Math.max(s.hintsShown, l.hintsShown),
          solutionShown: s.solutionShown || l.solutionShown,
        }
      : s;
  }
  return out;
}

function index(list: ExerciseProgress[]): Record<string, ExerciseProgress> {
  return Object.fromEntries(list.map((x) => [x.exerciseId, x]));
}

"use client";

import { useEffect, useId, useState } from "react";
import { useTranslations } from "next-intl";
import { answerQuiz, myQuizAnswers } from "@/_lib/actions/learning";
import { choiceOrder } from "./quiz-order";

export interface QuizChoiceView {
  text: string;
  correct: boolean;
  explanation: string;
}
export interface QuizQuestionView {
  id: string;
  question: string;
  /** "Predict the output": the commands the question is about. */
  code?: string;
  choices: QuizChoiceView[];
}

/**
 * The lesson's quiz: each answer gets immediate feedback with the explanation of the chosen
 * option; answers are recorded on the server (which decides correctness itself) and come back on reload.
 */
export default function QuizBlock({ lessonId, questions }: { lessonId: string; questions: QuizQuestionView[] }) {
  const t = useTranslations("quiz");
  const [answers, setAnswers] = useState<Record<string, number>>({});
  // The choices are shown once the learner's order is known (no reshuffle under their cursor).
  const [orderSeed, setOrderSeed] = useState<string | null>(null);
  const [saveError, setSaveError] = useState(false);

  useEffect(() => {
    let live = true;
    void myQuizAnswers(lessonId).then((r) => {
      if (!live) return;
      if (r.ok) setAnswers((a) => ({ ...r.value.answers, ...a }));
      // Without the learner's seed (the server failed), any fixed order is still a usable quiz.
      setOrderSeed(r.ok ? r.value.orderSeed : "");
    });
    return () => {
      live = false;
    };
  }, [lessonId]);

  const choose = (questionId: string, index: number) => {
    setAnswers((a) => ({ ...a, [questionId]: index }));
    void answerQuiz(lessonId, questionId, index).then(
      (r) => setSaveError(!r.ok),
      () => setSaveError(true),
    );
  };
  const retry = (questionId: string) =>
    setAnswers((a) => {
      const next = { ...a };
      delete next[questionId];
      return next;
    });

  const correct = questions.filter((q) => answers[q.id] !== undefined && q.choices[answers[q.id]!]?.correct).length;
  const answered = questions.filter((q) => answers[q.id] !== undefined).length;

  return (
    <section className="quiz" aria-labelledby="quiz-heading">
      <header className="quiz__header">
        <h2 id="quiz-heading">{t("heading")}</h2>
        {answered > 0 && <p className="quiz__score">{t("score", { correct, total: questions.length })}</p>}
      </header>
      <ol className="quiz__list">
        {questions.map((q, i) => (
          <Question
            key={q.id}
            q={q}
            n={i + 1}
            total={questions.length}
            order={orderSeed === null ? null : choiceOrder(orderSeed, q.id, q.choices.length)}
            chosen={answers[q.id]}
            onChoose={(c) => choose(q.id, c)}
            onRetry={() => retry(q.id)}
          />
        ))}
      </ol>
      {saveError && (
        <p className="quiz__error" role="alert">
          {t("saveError")}
        </p>
      )}
    </section>
  );
}

function Question(props: {
  q: QuizQuestionView;
  n: number;
  total: number;
  /** Content indexes in display order; null while the learner's order loads. */
  order: number[] | null;
  chosen: number | undefined;
  onChoose: (i: number) => void;
  onRetry: () => void;
}) {
  const { q, n, total, order, chosen, onChoose, onRetry } = props;
  const t = useTranslations("quiz");
  const name = useId();
  const answered = chosen !== undefined;
  const picked = answered ? q.choices[chosen] : undefined;

  return (
    <li className="quiz__question">
      <fieldset disabled={answered}>
        <legend>
          <span className="quiz__count">{t("question", { n, total })}</span>
          <span className="quiz__text">
            <InlineCode text={q.question} />
          </span>
        </legend>
        {q.code && (
          <pre className="quiz__code">
            <code>{q.code.trimEnd()}</code>
          </pre>
        )}
        <div className="quiz__choices" aria-busy={order === null}>
          {(order ?? []).map((i) => {
            const c = q.choices[i]!;
            const state = !answered ? "" : c.correct ? "is-correct" : i === chosen ? "is-wrong" : "is-muted";
            return (
              <label key={i} className={`quiz__choice ${state}`}>
                <input type="radio" name={name} checked={chosen === i} onChange={() => onChoose(i)} />
                <span>
                  <InlineCode text={c.text} />
                </span>
              </label>
            );
          })}
        </div>
      </fieldset>
      <div aria-live="polite">
        {picked && (
          <div className={`quiz__feedback ${picked.correct ? "is-correct" : "is-wrong"}`}>
            <p className="quiz__verdict">
              <span aria-hidden="true">{picked.correct ? "✓ " : "✗ "}</span>
              {picked.correct ? t("correct") : t("incorrect")}
            </p>
            <p>
              <InlineCode text={picked.explanation} />
            </p>
            {!picked.correct && (
              <button type="button" className="btn btn--ghost btn--small" onClick={onRetry}>
                {t("tryAgain")}
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}

/** Quiz texts are plain strings from the frontmatter; `backticks` mark commands, shown as code. */
function InlineCode({ text }: { text: string }) {
  return (
    <>
      {text
        .split(/(`[^`]+`)/)
        .map((part, i) =>
          part.startsWith("`") && part.endsWith("`") && part.length > 2 ? <code key={i}>{part.slice(1, -1)}</code> : part,
        )}
    </>
  );
}

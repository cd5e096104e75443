"use client";

import { useEffect, useId, useState } from "react";
import { useTranslations } from "next-intl";
import { answerQuiz, myQuizAnswers } from "@/_lib/actions/learning";

export interface QuizChoiceView {
  text: string;
  correct: boolean;
  explanation: string;
}
export interface QuizQuestionView {
  id: string;
  question: string;
  choices: QuizChoiceView[];
}

/**
 * The lesson's quiz: each answer gets immediate feedback with the explanation of the chosen
 * option; answers are recorded on the server (which decides correctness itself) and come back on reload.
 */
export default function QuizBlock({ lessonId, questions }: { lessonId: string; questions: QuizQuestionView[] }) {
  const t = useTranslations("quiz");
  const [answers, setAnswers] = useState<Record<string, number>>({});
  const [saveError, setSaveError] = useState(false);

  useEffect(() => {
    let live = true;
    void myQuizAnswers(lessonId).then((r) => {
      if (live && r.ok) setAnswers((a) => ({ ...r.value, ...a }));
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
  chosen: number | undefined;
  onChoose: (i: number) => void;
  onRetry: () => void;
}) {
  const { q, n, total, chosen, onChoose, onRetry } = props;
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
        <div className="quiz__choices">
          {q.choices.map((c, i) => {
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

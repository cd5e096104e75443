import type { Metadata } from "next";
import type { ReactNode } from "react";
import { forbidden } from "next/navigation";
import LocalTime from "@/_components/LocalTime";
import { getTranslations } from "next-intl/server";
import ReplayList from "@/_components/instructor/ReplayList";
import ShadowTerminal from "@/_components/instructor/ShadowTerminal";
import LearnerTools from "@/_components/roster/LearnerTools";
import { quizKey } from "@/_lib/dal/grades";
import { getCourse } from "@/_lib/content";
import { ForbiddenError } from "@/_lib/dal/rules";
import {
  getClassMatrix,
  getLearner,
  getLearnerSandboxes,
  getLearnerTimeline,
  getSentToLearner,
  NotFoundError,
  type TimelineEvent,
} from "@/_lib/dal/teaching";
import { recordedTerminals } from "@/_lib/instructor/runner-access";
import { Header, pageLocale } from "@/_lib/instructor/page-kit";
import { localized, pages } from "@/_lib/instructor/paths";

export async function generateMetadata({ params }: { params: Promise<{ locale: string }> }): Promise<Metadata> {
  const t = await getTranslations({ locale: await pageLocale(params), namespace: "instructor" });
  return { title: t("timeline"), robots: { index: false } };
}

/**
 * One learner of a class: live shadowing of their running sandbox, replays of every Terminal they
 * used, and the timeline of Checks (with messages), hints, solutions, quiz answers and visits.
 */
/** A translated sentence with a client-rendered time where MARK stands (messages take strings only). */
const MARK = "\u0000";
function withTime(text: string, time: ReactNode): ReactNode {
  const [before, after] = text.split(MARK);
  return (
    <>
      {before}
      {time}
      {after}
    </>
  );
}

export default async function LearnerPage({ params }: { params: Promise<{ locale: string; id: string; userId: string }> }) {
  const locale = await pageLocale(params);
  const { id, userId } = await params;
  const t = await getTranslations({ locale, namespace: "instructor" });
  const path = `/instructor/classes/${encodeURIComponent(id)}/learners/${encodeURIComponent(userId)}`;
  let data;
  try {
    const { learner, cls } = await getLearner(id, userId);
    const [events, sandboxes, matrix, sent] = await Promise.all([
      getLearnerTimeline(id, userId),
      getLearnerSandboxes(id, userId),
      getClassMatrix(id),
      getSentToLearner(id, userId),
    ]);
    data = { learner, cls, events, sandboxes, matrix, sent };
  } catch (e) {
    if (e instanceof ForbiddenError || e instanceof NotFoundError) forbidden();
    throw e;
  }
  const { learner, cls, events, sandboxes, matrix, sent } = data;
  const tr = await getTranslations({ locale, namespace: "roster" });
  const row = matrix.rows.find((r) => r.learner.userId === userId);
  const name = learner.name || learner.email || learner.id;
  const course = await getCourse();
  const lessonTitle = new Map(course.lessons.map((l) => [l.id, l.content[locale].title]));
  const exerciseTitle = new Map(course.lessons.flatMap((l) => l.exercises.map((e) => [e.id, e.title[locale]] as const)));
  const terminals = await Promise.all(
    sandboxes.map((s) => recordedTerminals(s.sandboxId).catch(() => s.recordings.map((r) => r.terminalId))),
  );
  const running = sandboxes.find((s) => !s.endedAt);
  // In the viewer's time zone (the browser's), not the server's.
  const when = (d: Date) => <LocalTime iso={d.toISOString()} dateStyle="short" timeStyle="medium" />;

  const describe = (e: TimelineEvent): { title: string; detail?: ReactNode; tone: string } => {
    switch (e.kind) {
      case "check":
        return {
          title: `${e.passed ? t("ev_check_pass") : t("ev_check_fail")} — ${exerciseTitle.get(e.exerciseId) ?? e.exerciseId}`,
          detail: `${t(`trigger_${e.trigger === "manual" ? "manual" : "auto"}`)} · ${e.durationMs} ms${e.message ? ` · ${e.message}` : ""}`,
          tone: e.passed ? "ok" : "fail",
        };
      case "hint":
        return { title: `${t("ev_hint", { n: e.index + 1 })} — ${exerciseTitle.get(e.exerciseId) ?? e.exerciseId}`, tone: "help" };
      case "solution":
        return { title: `${t("ev_solution")} — ${exerciseTitle.get(e.exerciseId) ?? e.exerciseId}`, tone: "help" };
      case "quiz":
        return {
          title: `${e.correct ? t("ev_quiz_ok") : t("ev_quiz_wrong")} — ${lessonTitle.get(e.lessonId) ?? e.lessonId}`,
          detail: `${e.questionId} → ${Number(e.choice) + 1}`,
          tone: e.correct ? "ok" : "fail",
        };
      case "visit":
        return { title: `${t("ev_visit")} — ${lessonTitle.get(e.lessonId) ?? e.lessonId}`, tone: "info" };
      case "sandbox":
        return {
          title: t("ev_sandbox"),
          detail: e.endedAt ? withTime(t("ended", { time: MARK, reason: e.endReason ?? "" }), when(e.endedAt)) : t("running"),
          tone: "info",
        };
    }
  };

  return (
    <>
      <Header locale={locale} path={path} />
      <main id="content" className="page page--wide instructor-page">
        <p className="breadcrumb">
          <a href={pages.class(locale, id)}>
            {t("backToClass")} ({cls.name})
          </a>
        </p>
        <h1>{t("learnerTitle", { name })}</h1>
        {learner.email && <p className="muted">{learner.email}</p>}

        <p data-testid="learner-score">
          {tr("scoreIs", { score: row?.score ?? "—" })} · {tr("quizIs", { correct: row?.quizCorrect ?? 0, total: matrix.questions.length })}
        </p>

        <LearnerTools
          classId={id}
          learnerId={userId}
          name={name}
          handRaised={!!row?.hand}
          resetPath={localized(locale, "/reset-password")}
          classHref={pages.class(locale, id)}
        />
        {sent.length > 0 && (
          <section aria-labelledby="sent-heading">
            <h2 id="sent-heading" className="section-title">
              {tr("sentTitle")}
            </h2>
            <ul className="timeline" data-testid="sent">
              {sent.map((m) => (
                <li key={m.id} className="timeline__item" data-kind={m.kind}>
                  <span className="timeline__time">{when(m.createdAt)}</span>
                  <span className="timeline__title">
                    {m.kind === "reset" ? tr("resetRequest") : m.body}
                    {m.toUserId ? "" : ` (${tr("toClass")})`}
                  </span>
                  {m.kind === "reset" && (
                    <span className="timeline__detail" data-testid="reset-answer">
                      {m.answer === "accepted"
                        ? tr("answerAccepted")
                        : m.answer === "declined"
                          ? tr("answerDeclined")
                          : tr("answerPending")}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        )}

        <section aria-labelledby="quiz-heading">
          <h2 id="quiz-heading" className="section-title">
            {tr("quizAnswers")}
          </h2>
          <table className="roster-table" data-testid="quiz-answers">
            <thead>
              <tr>
                <th scope="col">{tr("lesson")}</th>
                <th scope="col">{tr("question")}</th>
                <th scope="col">{tr("answer")}</th>
              </tr>
            </thead>
            <tbody>
              {matrix.questions.map((q) => {
                const c = row?.quiz[quizKey(q)];
                const lesson = course.lessons.find((l) => l.id === q.lessonId);
                const question = lesson?.content[locale].quiz.find((x) => x.id === q.questionId);
                const choice = c?.choice != null ? question?.choices[Number(c.choice)] : undefined;
                return (
                  <tr key={quizKey(q)} data-status={c?.status ?? "unanswered"}>
                    <td>{lessonTitle.get(q.lessonId) ?? q.lessonId}</td>
                    <td>{question?.question ?? q.questionId}</td>
                    <td>
                      {tr(`quiz_${c?.status ?? "unanswered"}`)}
                      {choice ? ` — ${choice.text}` : ""}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>

        <section aria-labelledby="live-heading">
          <h2 id="live-heading" className="section-title">
            {t("shadow")}
          </h2>
          {running ? <ShadowTerminal sandboxId={running.sandboxId} learnerName={name} /> : <p className="muted">{t("shadowOffline")}</p>}
        </section>

        <section aria-labelledby="terminals-heading">
          <h2 id="terminals-heading" className="section-title">
            {t("terminals")}
          </h2>
          {sandboxes.length === 0 ? (
            <p className="muted">{t("noTerminals")}</p>
          ) : (
            <ul className="sandbox-list">
              {sandboxes.map((s, i) => (
                <li key={s.id} data-sandbox-id={s.sandboxId}>
                  <p className="small">
                    {withTime(t("sandbox", { time: MARK }), when(s.createdAt))} ·{" "}
                    {s.endedAt ? withTime(t("ended", { time: MARK, reason: s.endReason ?? "" }), when(s.endedAt)) : t("running")}
                  </p>
                  {terminals[i]!.length ? (
                    <ReplayList sandboxId={s.sandboxId} terminals={terminals[i]!} />
                  ) : (
                    <p className="muted small">{t("noTerminals")}</p>
                  )}
                </li>
              ))}
            </ul>
          )}
        </section>

        <section aria-labelledby="timeline-heading">
          <h2 id="timeline-heading" className="section-title">
            {t("timeline")}
          </h2>
          {events.length === 0 ? (
            <p className="muted">{t("emptyTimeline")}</p>
          ) : (
            <ol className="timeline" data-testid="timeline">
              {events.map((e, i) => {
                const d = describe(e);
                return (
                  <li key={i} className={`timeline__item timeline__item--${d.tone}`} data-kind={e.kind}>
                    <span className="timeline__time">{when(e.at)}</span>
                    <span className="timeline__title">{d.title}</span>
                    {d.detail && <span className="timeline__detail">{d.detail}</span>}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      </main>
    </>
  );
}

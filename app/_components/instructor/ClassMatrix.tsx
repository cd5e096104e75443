"use client";

import { useEffect, useMemo, useState } from "react";
import { useFormatter, useLocale, useTranslations } from "next-intl";
import { useMounted } from "@/_lib/use-mounted";
import { needsHelp, sortRows, type Cell, type MatrixOrder } from "@/_lib/dal/class-matrix";
import type { GradedRow } from "@/_lib/dal/grades";

export interface MatrixColumn {
  key: string;
  exerciseId: string;
  exerciseTitle: string;
  lessonTitle: string;
  lessonNumber: number;
}

const SYMBOL: Record<Cell["status"], string> = { passed: "✓", stuck: "!", trying: "…", notStarted: "·" };

/**
 * The class's roster × exercises matrix. It subscribes to the class's Server-Sent Events and
 * replaces its rows whenever the server sends a new matrix, so it changes while learners work,
 * without a reload. Ordering and the "only stuck" filter are local.
 */
export default function ClassMatrix(props: {
  classId: string;
  columns: MatrixColumn[];
  initialRows: GradedRow[];
  learnerHref: string;
  /** quiz questions the class counts */
  quizTotal?: number;
}) {
  const t = useTranslations("instructor");
  const tr = useTranslations("roster");
  const format = useFormatter();
  const locale = useLocale();
  const [rows, setRows] = useState(props.initialRows);
  const [live, setLive] = useState<"connecting" | "on" | "off">("connecting");
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const mounted = useMounted();
  // The clock relative times count from: ticks so "a minute ago" stays true between updates.
  const [now, setNow] = useState(() => Date.now());
  const [order, setOrder] = useState<MatrixOrder>("stuck");
  const [onlyStuck, setOnlyStuck] = useState(false);

  useEffect(() => {
    const es = new EventSource(`/api/classes/${encodeURIComponent(props.classId)}/events`);
    es.onopen = () => setLive("on");
    es.onerror = () => setLive("off"); // EventSource reconnects by itself (retry: 2000)
    es.addEventListener("matrix", (ev) => {
      const data = JSON.parse((ev as MessageEvent<string>).data) as { rows: GradedRow[] };
      setRows(data.rows);
      setUpdatedAt(new Date());
      setNow(Date.now());
      setLive("on");
    });
    es.addEventListener("gone", () => {
      setLive("off");
      es.close();
    });
    return () => es.close();
  }, [props.classId]);
  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(tick);
  }, []);

  const shown = useMemo(() => sortRows(onlyStuck ? rows.filter(needsHelp) : rows, order) as GradedRow[], [rows, order, onlyStuck]);
  const duration = (s: number | null) =>
    s === null ? t("never") : s >= 60 ? t("minutes", { n: Math.round(s / 60) }) : t("seconds", { n: s });
  // Relative times need the browser's clock: the server's HTML (and hydration) has none, so the
  // two renders agree (a server "now" a moment older than the browser's was React error #418).
  const when = (iso: string | null) =>
    !iso ? t("never") : mounted ? format.relativeTime(new Date(iso), Math.max(now, Date.parse(iso))) : "";

  return (
    <section className="matrix" aria-labelledby="matrix-heading">
      <div className="matrix__bar">
        <h2 id="matrix-heading" className="section-title">
          {t("matrixTitle")}
        </h2>
        <p className={`live-badge live-badge--${live}`} role="status" data-testid="live-status" data-live={live}>
          <span aria-hidden="true" className="live-badge__dot" />
          {live === "on" ? t("liveOn") : live === "off" ? t("liveOff") : t("liveConnecting")}
          {updatedAt && (
            <span className="muted small">
              {" "}
              · {t("updated", { time: new Intl.DateTimeFormat(locale, { timeStyle: "medium" }).format(updatedAt) })}
            </span>
          )}
        </p>
        <div className="matrix__filters">
          <label className="field field--inline">
            <span className="field__label">{t("order")}</span>
            <select value={order} onChange={(e) => setOrder(e.target.value as MatrixOrder)}>
              <option value="stuck">{t("orderStuck")}</option>
              <option value="name">{t("orderName")}</option>
              <option value="progress">{t("orderProgress")}</option>
              <option value="activity">{t("orderActivity")}</option>
            </select>
          </label>
          <label className="check-field">
            <input type="checkbox" checked={onlyStuck} onChange={(e) => setOnlyStuck(e.target.checked)} />
            {t("onlyStuck")}
          </label>
        </div>
      </div>
      {rows.length === 0 ? (
        <p className="muted">{t("noLearners")}</p>
      ) : (
        <div className="matrix__scroll" tabIndex={0} role="region" aria-labelledby="matrix-heading">
          <table className="matrix__table">
            <thead>
              <tr>
                <th scope="col">{t("learner")}</th>
                <th scope="col">{t("done")}</th>
                <th scope="col">{tr("quiz")}</th>
                <th scope="col">{tr("score")}</th>
                {props.columns.map((c) => (
                  <th key={c.key} scope="col" title={`${c.lessonTitle} — ${c.exerciseTitle}`}>
                    <span className="matrix__lesson">{c.lessonNumber}.</span> {c.exerciseTitle}
                  </th>
                ))}
                <th scope="col">{t("lastActivity")}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr
                  key={r.learner.userId}
                  data-testid={`row-${r.learner.userId}`}
                  className={needsHelp(r) ? "matrix__row--stuck" : undefined}
                  data-hand={r.hand ? "raised" : undefined}
                >
                  <th scope="row">
                    <a href={props.learnerHref.replace("__USER__", encodeURIComponent(r.learner.userId))}>
                      {r.learner.name || r.learner.email}
                    </a>
                    {r.hand && (
                      <span className="hand-badge" title={tr("handRaised")} data-testid="row-hand">
                        <span aria-hidden="true">✋</span>
                        <span className="visually-hidden">{tr("handRaised")}</span>
                      </span>
                    )}
                  </th>
                  <td data-testid="row-passed">{t("progressOf", { passed: r.passed, total: props.columns.length })}</td>
                  <td data-testid="row-quiz">{t("progressOf", { passed: r.quizCorrect ?? 0, total: props.quizTotal ?? 0 })}</td>
                  <td data-testid="row-score">{r.score ?? t("never")}</td>
                  {props.columns.map((c) => {
                    const cell = r.cells[c.key]!;
                    const label = t("cellTitle", {
                      exercise: c.exerciseTitle,
                      status: t(`status_${cell.status}`),
                      checks: cell.checks,
                      failed: cell.failedChecks,
                      hints: cell.hints,
                      solution: cell.solutionOpened ? t("solutionOpened") : "",
                      time: duration(cell.timeSpentSec),
                      last: when(cell.lastActivity),
                    });
                    return (
                      <td
                        key={c.key}
                        className={`cell cell--${cell.status}`}
                        data-testid={`cell-${r.learner.userId}-${c.exerciseId}`}
                        data-status={cell.status}
                        title={label}
                      >
                        <span aria-hidden="true" className="cell__symbol">
                          {SYMBOL[cell.status]}
                        </span>
                        {cell.checks > 0 && (
                          <span aria-hidden="true" className="cell__meta">
                            {cell.checks}×{cell.hints > 0 ? ` · ${cell.hints}💡` : ""}
                          </span>
                        )}
                        <span className="visually-hidden">{label}</span>
                      </td>
                    );
                  })}
                  <td className="small">{when(r.lastActivity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="matrix__legend small muted">
        <span className="visually-hidden">{t("legend")}: </span>
        {(["passed", "stuck", "trying", "notStarted"] as const).map((s) => (
          <span key={s} className={`cell cell--${s} legend-chip`}>
            <span aria-hidden="true">{SYMBOL[s]}</span> {t(`status_${s}`)}
          </span>
        ))}
        <span>
          N× = {t("checks")}, 💡 = {t("hints")}
        </span>
      </p>
    </section>
  );
}

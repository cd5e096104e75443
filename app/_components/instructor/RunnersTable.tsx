"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { setRunnerDrainingAction } from "@/_lib/actions/runners";

export interface RunnerRow {
  name: string;
  url: string;
  healthy: boolean;
  draining: boolean;
  sandboxes: number;
  /** null: not known yet (never answered). */
  capacity: number | null;
  error?: string;
}

/** The runners on the admin page: load, health, and a drain/resume switch per runner. */
export default function RunnersTable({ runners }: { runners: RunnerRow[] }) {
  const t = useTranslations("admin");
  const [rows, setRows] = useState(runners);
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState<string | null>(null);

  async function toggle(r: RunnerRow) {
    setBusy(r.name);
    const res = await setRunnerDrainingAction(r.name, !r.draining);
    setBusy(null);
    if (!res.ok) {
      setStatus(t("runnerFailed", { name: r.name, message: res.message }));
      return;
    }
    setRows((all) => all.map((x) => (x.name === r.name ? { ...x, draining: res.draining } : x)));
    setStatus(t(res.draining ? "runnerDrained" : "runnerResumed", { name: r.name }));
  }

  return (
    <>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t("runner")}</th>
            <th scope="col">{t("runnerState")}</th>
            <th scope="col">{t("runnerLoad")}</th>
            <th scope="col">{t("runnerAction")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name} data-runner={r.name} data-draining={r.draining ? "1" : "0"}>
              <th scope="row">
                {r.name} <span className="muted small">{r.url}</span>
              </th>
              <td>{!r.healthy ? t("runnerDown", { error: r.error ?? "" }) : r.draining ? t("runnerDraining") : t("runnerUp")}</td>
              <td>{r.capacity === null ? r.sandboxes : t("runnerCount", { sandboxes: r.sandboxes, capacity: r.capacity })}</td>
              <td>
                <button
                  type="button"
                  className="btn btn--ghost btn--small"
                  aria-busy={busy === r.name}
                  onClick={() => void toggle(r)}
                  aria-label={t(r.draining ? "resumeRunner" : "drainRunner", { name: r.name })}
                >
                  {t(r.draining ? "resume" : "drain")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" className="muted small">
        {status}
      </p>
    </>
  );
}

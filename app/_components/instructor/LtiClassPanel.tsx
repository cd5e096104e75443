"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";

/**
 * A class linked to an LMS course (LTI): which course, and "sync now" (roster again, every score
 * re-sent: the retry after the LMS was down). The answer is announced to screen readers.
 */
export default function LtiClassPanel(p: { classId: string; platformName: string; courseTitle: string; gradesFailing: number }) {
  const t = useTranslations("lti");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState("");
  async function sync() {
    setBusy(true);
    setResult("");
    try {
      const res = await fetch(`/api/lti/classes/${encodeURIComponent(p.classId)}/sync`, { method: "POST", credentials: "same-origin" });
      const body = (await res.json().catch(() => ({}))) as {
        roster?: { members: number } | null;
        grades?: { sent: number; failed: number };
        message?: string;
      };
      setResult(
        res.ok
          ? t("syncDone", { members: body.roster?.members ?? 0, sent: body.grades?.sent ?? 0, failed: body.grades?.failed ?? 0 })
          : t("syncFailed", { message: body.message ?? String(res.status) }),
      );
    } catch (e) {
      setResult(t("syncFailed", { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <section className="lti-panel" aria-labelledby="lti-panel-title" data-testid="lti-panel">
      <h2 id="lti-panel-title">{t("panelTitle", { course: p.courseTitle, platform: p.platformName })}</h2>
      {p.gradesFailing > 0 && <p>{t("gradesFailing", { n: p.gradesFailing })}</p>}
      <button type="button" className="btn btn--ghost btn--small" onClick={sync} disabled={busy}>
        {busy ? t("syncing") : t("syncNow")}
      </button>
      <p aria-live="polite" data-testid="lti-sync-result">
        {result}
      </p>
    </section>
  );
}

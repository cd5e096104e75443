"use client";

import { useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import type { SavedWork } from "@/_lib/actions/sandbox";

/**
 * Tells the learner, when their new sandbox starts, that their files from the last one were
 * restored, or why they could not be kept. Shown only after the sandbox opened (never in the
 * server's HTML), so the date is formatted in the browser's own time zone.
 */
export default function SavedWorkNotice({ savedWork }: { savedWork: SavedWork }) {
  const t = useTranslations("savedWork");
  const locale = useLocale();
  const [open, setOpen] = useState(true);
  if (!open) return null;
  const date = (iso: string) => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
  const { restoredFrom, notKept } = savedWork;
  return (
    <div role="status" className="course-saved-work" data-kind={notKept ? "not-kept" : "restored"} data-testid="saved-work-notice">
      <p>
        {notKept && t(`notKept.${notKept.reason}`, { date: date(notKept.at), limit: notKept.limitMb ?? 0 })}
        {notKept && restoredFrom && " "}
        {restoredFrom && (notKept ? t("older", { date: date(restoredFrom) }) : t("restored", { date: date(restoredFrom) }))}
      </p>
      <button type="button" className="btn btn--small" onClick={() => setOpen(false)}>
        {t("dismiss")}
      </button>
    </div>
  );
}

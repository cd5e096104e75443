"use client";

import { useEffect, useRef } from "react";
import { useTranslations } from "next-intl";

/** Confirmation before destroying the sandbox: a native modal <dialog> (focus trap and Escape for free). */
export default function ResetDialog({ open, onCancel, onConfirm }: { open: boolean; onCancel(): void; onConfirm(): void }) {
  const t = useTranslations("terminal");
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="term-dialog" aria-labelledby="course-reset-title" aria-describedby="course-reset-body" onCancel={onCancel}>
      <h2 id="course-reset-title">{t("resetConfirmTitle")}</h2>
      <p id="course-reset-body">{t("resetConfirmBody")}</p>
      <div className="term-dialog__actions">
        <button type="button" className="btn btn--ghost btn--small" onClick={onCancel} autoFocus>
          {t("cancel")}
        </button>
        <button type="button" className="btn btn--danger btn--small" onClick={onConfirm}>
          {t("resetConfirm")}
        </button>
      </div>
    </dialog>
  );
}

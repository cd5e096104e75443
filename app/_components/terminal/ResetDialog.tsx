"use client";

import { useEffect, useRef } from "react";
import { terminalStrings } from "./strings";

/** Confirmation before destroying the sandbox: a native modal <dialog> (focus trap and Escape for free). */
export default function ResetDialog({
  open,
  locale,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  locale: string;
  onCancel(): void;
  onConfirm(): void;
}) {
  const t = terminalStrings(locale);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby="course-reset-title"
      aria-describedby="course-reset-body"
      onCancel={onCancel}
      style={{ maxWidth: 440, borderRadius: 8, padding: 20, color: "#1f2328", background: "#fff" }}
    >
      <h2 id="course-reset-title" style={{ marginTop: 0, fontSize: 18 }}>
        {t.resetConfirmTitle}
      </h2>
      <p id="course-reset-body">{t.resetConfirmBody}</p>
      <div style={{ display: "flex", gap: 8, justifyContent: "flex-end" }}>
        <button type="button" onClick={onCancel} autoFocus>
          {t.cancel}
        </button>
        <button
          type="button"
          onClick={onConfirm}
          style={{ background: "#b42318", color: "#fff", border: 0, borderRadius: 4, padding: "4px 12px" }}
        >
          {t.resetConfirm}
        </button>
      </div>
    </dialog>
  );
}

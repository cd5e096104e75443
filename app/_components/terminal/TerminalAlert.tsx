"use client";

import { useTranslations } from "next-intl";

/** What the terminal must tell the learner now (one at a time, most serious first), with its way out. */
export interface AlertView {
  kind: "error" | "notice" | "info";
  code: string;
  text: string;
  retry: boolean;
}

export default function TerminalAlert({
  alert,
  busy,
  onRetry,
  onDismiss,
}: {
  alert: AlertView;
  busy: boolean;
  onRetry(): void;
  onDismiss(): void;
}) {
  const t = useTranslations("terminal");
  return (
    <div
      role={alert.kind === "info" ? "status" : "alert"}
      aria-live={alert.kind === "info" ? "polite" : "assertive"}
      data-testid="terminal-alert"
      data-kind={alert.kind}
      data-error-code={alert.code}
      className={`term-alert term-alert--${alert.kind}`}
    >
      {alert.text}{" "}
      {alert.retry && (
        <button type="button" className="term-btn" onClick={onRetry} disabled={busy}>
          {t("retry")}
        </button>
      )}
      {alert.kind === "notice" && (
        <button type="button" className="term-btn" onClick={onDismiss} aria-label={t("ok")}>
          {t("ok")}
        </button>
      )}
    </div>
  );
}

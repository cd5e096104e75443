"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";

/**
 * A runnable command: "run" types it into the learner's active Terminal through the page's
 * `course:run` event (the terminal panel listens); "copy" puts it on the clipboard.
 */
export default function RunBlock({ command }: { command: string }) {
  const t = useTranslations("run");
  const [status, setStatus] = useState<"" | "copied" | "sent">("");

  const flash = (s: "copied" | "sent") => {
    setStatus(s);
    window.setTimeout(() => setStatus(""), 1600);
  };
  const run = () => {
    window.dispatchEvent(new CustomEvent("course:run", { detail: { command } }));
    flash("sent");
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(command);
      flash("copied");
    } catch {
      /* clipboard refused (insecure context): the text is still selectable */
    }
  };

  return (
    <div className="run-block">
      <pre className="run-block__code">
        <span className="run-block__prompt" aria-hidden="true">
          ${" "}
        </span>
        <code>{command}</code>
      </pre>
      <div className="run-block__actions">
        <button type="button" className="btn btn--primary btn--small" onClick={run} aria-label={`${t("run")}: ${command}`}>
          <span aria-hidden="true">▶</span> {t("run")}
        </button>
        <button type="button" className="btn btn--ghost btn--small" onClick={copy} aria-label={`${t("copy")}: ${command}`}>
          {t("copy")}
        </button>
      </div>
      <span className="visually-hidden" role="status" aria-live="polite">
        {status === "copied" ? t("copied") : status === "sent" ? t("sent") : ""}
      </span>
      {status && (
        <span className="run-block__toast" aria-hidden="true">
          {status === "copied" ? t("copied") : t("sent")}
        </span>
      )}
    </div>
  );
}

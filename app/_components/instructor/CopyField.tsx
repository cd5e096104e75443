"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";

/** A read-only value (join code, join link) with a Copy button that says when it copied. */
export default function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const t = useTranslations("instructor");
  const [copied, setCopied] = useState(false);
  const shown = value.startsWith("/") && typeof window !== "undefined" ? window.location.origin + value : value;
  return (
    <div className="copy-field">
      <label className="field">
        <span className="field__label">{label}</span>
        <input readOnly value={shown} data-testid={testId} onFocus={(e) => e.currentTarget.select()} suppressHydrationWarning />
      </label>
      <button
        type="button"
        className="btn btn--ghost btn--small"
        onClick={async () => {
          await navigator.clipboard?.writeText(value.startsWith("/") ? window.location.origin + value : value).catch(() => undefined);
          setCopied(true);
          setTimeout(() => setCopied(false), 1500);
        }}
      >
        {copied ? t("copied") : t("copy")}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {copied ? t("copied") : ""}
      </span>
    </div>
  );
}

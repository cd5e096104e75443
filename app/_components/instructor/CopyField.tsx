"use client";

import { useState } from "react";
import { useTranslations } from "next-intl";
import { useMounted } from "@/_lib/use-mounted";

/**
 * A read-only value (join code, join link) with a Copy button that says when it copied. A path is
 * shown as the full link once mounted (the server does not know the address the browser used), in a
 * field as wide as the link.
 */
export default function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const t = useTranslations("instructor");
  const [copied, setCopied] = useState(false);
  const mounted = useMounted();
  const isPath = value.startsWith("/");
  const shown = isPath && mounted ? window.location.origin + value : value;
  return (
    <div className={isPath ? "copy-field copy-field--link" : "copy-field"}>
      <label className="field">
        <span className="field__label">{label}</span>
        <input readOnly value={shown} size={Math.max(8, shown.length)} data-testid={testId} onFocus={(e) => e.currentTarget.select()} />
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

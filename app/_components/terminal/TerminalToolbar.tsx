"use client";

import { useTranslations } from "next-intl";
import type { ConnStatus } from "./connection";

/** The terminal's tools on one row: connection status, font size, copy/paste, screen reader mode, reset. */
export default function TerminalToolbar(p: {
  status: ConnStatus;
  screenReader: boolean;
  canReset: boolean;
  onFont(delta: number): void;
  onCopy(): void;
  onPaste(): void;
  onScreenReader(on: boolean): void;
  onReset(): void;
}) {
  const t = useTranslations("terminal");
  return (
    <div role="toolbar" aria-label={t("toolbarLabel")} className="term-toolbar">
      <span role="status" aria-live="polite" aria-label={t("statusLabel")} data-status={p.status} className="term-status">
        {t(`status.${p.status}`)}
      </span>
      <button type="button" className="term-btn" onClick={() => p.onFont(-1)} aria-label={t("fontSmaller")} title={t("fontSmaller")}>
        A−
      </button>
      <button type="button" className="term-btn" onClick={() => p.onFont(1)} aria-label={t("fontLarger")} title={t("fontLarger")}>
        A+
      </button>
      <button type="button" className="term-btn" onClick={p.onCopy} title={t("keyboardHint")}>
        {t("copy")}
      </button>
      <button type="button" className="term-btn" onClick={p.onPaste} title={t("keyboardHint")}>
        {t("paste")}
      </button>
      <label className="term-check">
        <input type="checkbox" checked={p.screenReader} onChange={(e) => p.onScreenReader(e.target.checked)} />
        {t("screenReader")}
      </label>
      <button type="button" className="term-btn term-btn--end" onClick={p.onReset} disabled={!p.canReset}>
        {t("reset")}
      </button>
    </div>
  );
}

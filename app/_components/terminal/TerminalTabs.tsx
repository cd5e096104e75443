"use client";

import { useTranslations } from "next-intl";
import { tabDomId, type Tab } from "./useTerminalTabs";

/** The tab strip (WAI-ARIA tabs: arrows move, Delete closes), "+" for a new Terminal, "×" for the shown one. */
export default function TerminalTabs(p: {
  tabs: Tab[];
  activeKey: string | null;
  onChoose(key: string): void;
  onKey(key: string, tabKey: string): void;
  onAdd(): void;
  onClose(key: string): void;
}) {
  const t = useTranslations("terminal");
  const active = p.tabs.find((x) => x.key === p.activeKey);
  return (
    <div className="term-tabs">
      <div role="tablist" aria-label={t("tabsLabel")} className="term-tabs__list">
        {p.tabs.map((tab) => (
          <button
            key={tab.key}
            type="button"
            role="tab"
            aria-selected={tab.key === p.activeKey}
            tabIndex={tab.key === p.activeKey ? 0 : -1}
            id={tabDomId(tab.key)}
            className="term-btn term-tab"
            onClick={() => p.onChoose(tab.key)}
            onKeyDown={(e) => p.onKey(e.key, tab.key)}
          >
            {t("tab", { n: tab.n })}
          </button>
        ))}
      </div>
      <button type="button" className="term-btn" aria-label={t("addTab")} title={t("addTab")} onClick={p.onAdd}>
        +
      </button>
      {p.tabs.length > 1 && active && (
        <button
          type="button"
          className="term-btn"
          aria-label={t("closeTab", { n: active.n })}
          title={t("closeTab", { n: active.n })}
          onClick={() => p.onClose(active.key)}
        >
          ×
        </button>
      )}
    </div>
  );
}

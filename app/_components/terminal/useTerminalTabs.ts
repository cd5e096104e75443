"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { TerminalViewHandle } from "./TerminalView";
import type { Session } from "./useSandboxSession";

/**
 * The tabs of Terminals in the learner's sandbox: which exist, which is shown, their order kept
 * across reloads (localStorage, the runner keeps their screens), keyboard moves between them.
 */
export interface Tab {
  key: string; // stable React key
  terminalId: string | null; // the runner's id once known (null until the runner assigned one)
  n: number;
  /** Opened by the learner just now: its terminal takes the focus. */
  autoFocus?: boolean;
}

const TABS_KEY = (sandboxId: string) => `course:tabs:${sandboxId}`;

export function tabDomId(key: string): string {
  return `course-tab-${key.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
}

function readTabs(sandboxId: string): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(TABS_KEY(sandboxId)) ?? "[]");
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
  } catch {
    return [];
  }
}

/** The tabs to show for a sandbox: the learner's saved order where the runner still has those Terminals, else one tab. */
export function tabsFor(s: Pick<Session, "sandboxId" | "terminals">, saved: string[], now: number): Tab[] {
  const ids = saved.filter((id) => s.terminals.includes(id));
  const list = (ids.length ? ids : s.terminals.slice(0, 1)).map((terminalId, i) => ({
    key: `${s.sandboxId}:${terminalId}`,
    terminalId,
    n: i + 1,
  }));
  return list.length ? list : [{ key: `${s.sandboxId}:new:${now}`, terminalId: null, n: 1 }];
}

export function useTerminalTabs(session: Session | null) {
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const views = useRef(new Map<string, TerminalViewHandle>());
  // Listeners (code blocks' "run") read the shown tab through a ref (kept in sync after each commit).
  const activeRef = useRef<string | null>(null);
  useEffect(() => {
    activeRef.current = activeKey;
  }, [activeKey]);

  /** A sandbox was adopted: show its Terminals. */
  const startFrom = useCallback((s: Session) => {
    const list = tabsFor(s, readTabs(s.sandboxId), Date.now());
    setTabs(list);
    setActiveKey(list[0]!.key);
  }, []);

  /** The sandbox is being replaced by a reset: forget its tabs. */
  const forget = useCallback((sandboxId: string | undefined) => {
    if (sandboxId) localStorage.removeItem(TABS_KEY(sandboxId));
    setTabs([]);
  }, []);

  // Remember the tabs so a reload shows the same Terminals (the runner keeps their screens).
  useEffect(() => {
    if (!session) return;
    const ids = tabs.map((x) => x.terminalId).filter((x): x is string => !!x);
    if (ids.length) localStorage.setItem(TABS_KEY(session.sandboxId), JSON.stringify(ids));
  }, [tabs, session]);

  /** false: the sandbox's Terminal limit is reached (the panel says so). */
  const addTab = (): boolean => {
    if (!session || tabs.length >= session.maxTerminals) return false;
    const n = Math.max(0, ...tabs.map((x) => x.n)) + 1;
    const tab = { key: `${session.sandboxId}:new:${Date.now()}`, terminalId: null, n, autoFocus: true };
    setTabs((xs) => [...xs, tab]);
    setActiveKey(tab.key);
    return true;
  };

  const closeTab = (key: string) => {
    // Closing a tab ends its Terminal on the runner (else its shell lives on and keeps a slot).
    views.current.get(key)?.end();
    setTabs((xs) => {
      const rest = xs.filter((x) => x.key !== key);
      if (activeKey === key) setActiveKey(rest[rest.length - 1]?.key ?? null);
      return rest;
    });
    views.current.delete(key);
  };

  /** A click on a tab means "type there": show it and focus its terminal once it is shown. */
  const choose = (key: string) => {
    setActiveKey(key);
    requestAnimationFrame(() => views.current.get(key)?.focus());
  };

  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Delete closes the focused one.
  const onTabKey = (key: string, current: string) => {
    const i = tabs.findIndex((x) => x.key === current);
    const next =
      key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : undefined;
    if (next) {
      setActiveKey(next.key);
      document.getElementById(tabDomId(next.key))?.focus(); // the focus follows the selection among tabs
    }
    if (key === "Delete" && tabs.length > 1) closeTab(current);
  };

  const setTerminalId = (key: string, id: string) => setTabs((xs) => xs.map((x) => (x.key === key ? { ...x, terminalId: id } : x)));

  return { tabs, activeKey, activeRef, views, startFrom, forget, addTab, closeTab, choose, onTabKey, setTerminalId };
}

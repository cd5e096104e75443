"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { openSandbox, resetSandbox, type OpenSandboxResult, type SandboxErrorCode } from "@/_lib/actions/sandbox";
import {
  COMMAND_FINISHED_EVENT,
  RUN_EVENT,
  SANDBOX_CHANGED_EVENT,
  emit,
  on,
  type CommandFinishedDetail,
  type RunDetail,
  type SandboxChangedDetail,
} from "../exercises/events";
import type { ConnStatus, ConnectAuth } from "./connection";
import ResetDialog from "./ResetDialog";
import SavedWorkNotice from "./SavedWorkNotice";
import { terminalStrings } from "./strings";
import TerminalView, { type TerminalViewHandle } from "./TerminalView";
import { useColorScheme } from "./useColorScheme";

/**
 * The learner's terminals for one lesson: tabs of Terminals in the same sandbox, a visible connection
 * status, font size, copy/paste, and a guarded "reset sandbox". Runnable code blocks reach it through
 * the `course:run` window event; finished commands go out as `course:command-finished`.
 */
export interface TerminalPanelProps {
  lessonId: string;
  locale: string;
}

interface Tab {
  key: string; // stable React key
  terminalId: string | null; // the runner's id once known (null until the runner assigned one)
  n: number;
  /** Opened by the learner just now: its terminal takes the focus. */
  autoFocus?: boolean;
}

type Session = Extract<OpenSandboxResult, { ok: true }>;

const FONT_KEY = "course:terminal-font";
const TABS_KEY = (sandboxId: string) => `course:tabs:${sandboxId}`;
const MIN_FONT = 10;
const MAX_FONT = 28;

export default function TerminalPanel({ lessonId, locale }: TerminalPanelProps) {
  const t = terminalStrings(locale);
  const scheme = useColorScheme();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<{ code: SandboxErrorCode; message: string; retryAfter?: number } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [tabs, setTabs] = useState<Tab[]>([]);
  const [activeKey, setActiveKey] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<Record<string, { status: ConnStatus; reason?: string }>>({});
  // No markup depends on the font size, so reading localStorage while hydrating cannot mismatch.
  const [fontSize, setFontSize] = useState(() => {
    const f = typeof window === "undefined" ? 0 : Number(localStorage.getItem(FONT_KEY));
    return f >= MIN_FONT && f <= MAX_FONT ? f : 15;
  });
  const [screenReader, setScreenReader] = useState(false);
  const [resetOpen, setResetOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const views = useRef(new Map<string, TerminalViewHandle>());
  // Listeners and the connections' auth read the latest values through refs (kept in sync after each commit).
  const sessionRef = useRef<Session | null>(null);
  const activeRef = useRef<string | null>(null);
  // Sandboxes the learner reset: their tabs' connections see them gone and ask for credentials
  // again before the reset's answer is adopted; that replacement is the reset, not an expiry.
  const resetFrom = useRef(new Set<string>());
  useEffect(() => {
    sessionRef.current = session;
    activeRef.current = activeKey;
  }, [session, activeKey]);

  const adopt = useCallback(
    (s: Session, reason: SandboxChangedDetail["reason"]) => {
      setSession(s);
      sessionRef.current = s;
      setError(null);
      // "expired" may also be found by a Check that ran first: the terminal says so either way.
      // "moved": the runner holding the sandbox died and the fresh one is on another runner.
      if (s.notice === "moved") setNotice(t.errors.moved);
      else if (s.notice || reason === "expired") setNotice(t.errors.expired);
      const saved = readTabs(s.sandboxId);
      const fromRunner = s.terminals.map((id) => ({ terminalId: id }));
      // Keep the learner's tab order when the runner still has those Terminals; else start with one tab.
      const ids = saved.filter((id) => s.terminals.includes(id));
      const list = (ids.length ? ids.map((id) => ({ terminalId: id })) : fromRunner.slice(0, 1)).map((x, i) => ({
        key: `${s.sandboxId}:${x.terminalId}`,
        terminalId: x.terminalId,
        n: i + 1,
      }));
      const tabsNow = list.length ? list : [{ key: `${s.sandboxId}:new:${Date.now()}`, terminalId: null, n: 1 }];
      setTabs(tabsNow);
      setActiveKey(tabsNow[0]!.key);
      emit<SandboxChangedDetail>(SANDBOX_CHANGED_EVENT, { sandboxId: s.sandboxId, reason: s.notice ? "expired" : reason });
    },
    [t],
  );

  const open = useCallback(async () => {
    setBusy(true);
    try {
      const r = await openSandbox(lessonId, locale);
      if (r.ok) adopt(r, "opened");
      else setError({ code: r.code, message: r.message, ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}) });
    } catch {
      setError({ code: "runner-down", message: t.errors["runner-down"] });
    } finally {
      setBusy(false);
    }
  }, [adopt, lessonId, locale, t]);

  // Opening the sandbox is talking to an external system (the runner) once mounted: what effects are for.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void open();
  }, [open]);

  // Runner down or full: try again by itself after a while (the learner may press "Try again" sooner).
  useEffect(() => {
    if (!error || (error.code !== "runner-down" && error.code !== "capacity" && error.code !== "too-many-sandboxes")) return;
    const timer = setTimeout(() => void open(), Math.min(120, error.retryAfter ?? 10) * 1000);
    return () => clearTimeout(timer);
  }, [error, open]);

  /** "Try again": the sandbox again if that failed, and a fresh connection for every tab. */
  const retry = () => {
    if (error || !session) void open();
    for (const v of views.current.values()) v.reconnect();
  };

  // Remember the tabs so a reload shows the same Terminals (the runner keeps their screens).
  useEffect(() => {
    if (!session) return;
    const ids = tabs.map((x) => x.terminalId).filter((x): x is string => !!x);
    if (ids.length) localStorage.setItem(TABS_KEY(session.sandboxId), JSON.stringify(ids));
  }, [tabs, session]);

  // Runnable code blocks: type the command into the active Terminal and run it.
  useEffect(
    () =>
      on<RunDetail>(RUN_EVENT, ({ command }) => {
        const key = activeRef.current;
        if (!key || typeof command !== "string") return;
        views.current.get(key)?.type(command.replace(/\r?\n$/, "") + "\r");
      }),
    [],
  );

  /** Fresh credentials for each (re)connection: tokens are short-lived; an expired sandbox is replaced. */
  const auth: ConnectAuth = useCallback(
    async (reason) => {
      const s = sessionRef.current;
      if (s && reason === "first" && Date.now() < s.tokenExpiresAt - 30_000) return { url: s.runnerWsUrl, token: s.token };
      const r = await openSandbox(lessonId, locale);
      if (!r.ok) {
        setError({ code: r.code, message: r.message, ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}) });
        throw new Error(r.message);
      }
      if (s && r.sandboxId !== s.sandboxId) {
        // A reset in progress adopts the new sandbox itself (and says "reset"); this tab goes away.
        if (resetFrom.current.has(s.sandboxId)) throw new Error("sandbox reset");
        // The sandbox expired while we were away: start over with its Terminals.
        adopt(r, "expired");
        throw new Error("sandbox replaced");
      }
      setSession(r);
      setError(null);
      return { url: r.runnerWsUrl, token: r.token };
    },
    [adopt, lessonId, locale],
  );

  const addTab = () => {
    if (!session || tabs.length >= session.maxTerminals) {
      setNotice(t.errors["terminal-limit"]);
      return;
    }
    const n = Math.max(0, ...tabs.map((x) => x.n)) + 1;
    const tab = { key: `${session.sandboxId}:new:${Date.now()}`, terminalId: null, n, autoFocus: true };
    setTabs((xs) => [...xs, tab]);
    setActiveKey(tab.key);
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

  const doReset = async () => {
    setResetOpen(false);
    setBusy(true);
    setNotice(t.resetting);
    const from = session?.sandboxId;
    if (from) resetFrom.current.add(from);
    let done = false;
    try {
      const r = await resetSandbox(lessonId, locale);
      if (r.ok) {
        done = true;
        if (from) localStorage.removeItem(TABS_KEY(from));
        setTabs([]);
        adopt(r, "reset");
        setNotice(t.resetDone);
      } else setError({ code: r.code, message: r.message, ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}) });
    } finally {
      // A failed reset adopts nothing: the tabs' own reconnection must be free to pick up a new sandbox.
      if (from && !done) resetFrom.current.delete(from);
      setBusy(false);
    }
  };

  const setFont = (f: number) => {
    const v = Math.min(MAX_FONT, Math.max(MIN_FONT, f));
    setFontSize(v);
    localStorage.setItem(FONT_KEY, String(v));
  };

  const activeTab = tabs.find((x) => x.key === activeKey);
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Delete closes the focused one.
  const onTabKey = (key: string, current: string) => {
    const i = tabs.findIndex((x) => x.key === current);
    const next =
      key === "ArrowRight" ? tabs[(i + 1) % tabs.length] : key === "ArrowLeft" ? tabs[(i - 1 + tabs.length) % tabs.length] : undefined;
    if (next) {
      setActiveKey(next.key);
      document.getElementById(tabId(next.key))?.focus(); // the focus follows the selection among tabs
    }
    if (key === "Delete" && tabs.length > 1) closeTab(current);
  };

  const active = activeKey ? statuses[activeKey] : undefined;
  const unreachable = active?.reason === "unreachable" && active.status !== "connected";
  const activeStatus: ConnStatus =
    (error || unreachable) && active?.status !== "connected" ? "disconnected" : (active?.status ?? "connecting");
  // What the alert says, most serious first: the sandbox could not be opened, the terminal cannot
  // reach the runner, a notice (expired, resetting, tab limit), a dropped connection being restored.
  const alert: { kind: "error" | "notice" | "info"; code: string; text: string; retry: boolean } | null = error
    ? { kind: "error", code: error.code, text: error.message, retry: error.code !== "unauthorized" }
    : unreachable
      ? { kind: "error", code: "runner-down", text: t.errors["terminal-unreachable"], retry: true }
      : notice
        ? { kind: "notice", code: "", text: notice, retry: false }
        : active?.status === "reconnecting"
          ? { kind: "info", code: "lost-connection", text: t.errors["lost-connection"], retry: false }
          : null;
  const bg = scheme === "dark" ? "#161b22" : "#f6f8fa";
  const fg = scheme === "dark" ? "#e6edf3" : "#1f2328";

  return (
    <section
      id="course-terminal"
      tabIndex={-1}
      aria-label={t.regionLabel}
      className="course-terminal"
      data-scheme={scheme}
      data-sandbox-id={session?.sandboxId ?? ""}
      style={{ display: "flex", flexDirection: "column", height: "100%", minHeight: 360, background: bg, color: fg }}
    >
      <div
        role="toolbar"
        aria-label={t.regionLabel}
        style={{ display: "flex", gap: 6, alignItems: "center", flexWrap: "wrap", padding: 6 }}
      >
        <span
          role="status"
          aria-live="polite"
          aria-label={t.statusLabel}
          data-status={activeStatus}
          style={{ ...badge, background: statusColor[activeStatus] }}
        >
          {t.status[activeStatus]}
        </span>
        <button type="button" onClick={() => setFont(fontSize - 1)} aria-label={t.fontSmaller} style={btn(scheme)}>
          A−
        </button>
        <button type="button" onClick={() => setFont(fontSize + 1)} aria-label={t.fontLarger} style={btn(scheme)}>
          A+
        </button>
        <button
          type="button"
          onClick={() => void views.current.get(activeKey ?? "")?.copySelection()}
          title={t.keyboardHint}
          style={btn(scheme)}
        >
          {t.copy}
        </button>
        <button
          type="button"
          onClick={() => void views.current.get(activeKey ?? "")?.pasteClipboard()}
          title={t.keyboardHint}
          style={btn(scheme)}
        >
          {t.paste}
        </button>
        <label style={{ display: "inline-flex", gap: 4, alignItems: "center", fontSize: 13 }}>
          <input type="checkbox" checked={screenReader} onChange={(e) => setScreenReader(e.target.checked)} />
          {t.screenReader}
        </label>
        <button type="button" onClick={() => setResetOpen(true)} disabled={busy || !session} style={{ ...btn(scheme), marginLeft: "auto" }}>
          {t.reset}
        </button>
      </div>

      <p id="course-terminal-keys" style={{ margin: "0 8px 4px", fontSize: 12, opacity: 0.9 }}>
        {t.keysHelp}
      </p>
      {alert && (
        <div
          role={alert.kind === "info" ? "status" : "alert"}
          data-testid="terminal-alert"
          data-kind={alert.kind}
          data-error-code={alert.code}
          style={{
            padding: "6px 10px",
            margin: "0 6px 6px",
            borderRadius: 4,
            background: alert.kind === "error" ? "#fde8e8" : "#fff4d6",
            color: "#1f2328",
          }}
        >
          {alert.text}{" "}
          {alert.retry && (
            <button type="button" onClick={retry} disabled={busy} style={btn("light")}>
              {t.retry}
            </button>
          )}
          {alert.kind === "notice" && (
            <button type="button" onClick={() => setNotice(null)} aria-label="OK" style={btn("light")}>
              OK
            </button>
          )}
        </div>
      )}

      {session?.savedWork && <SavedWorkNotice key={session.sandboxId} savedWork={session.savedWork} />}
      {session && (
        <>
          <div style={{ display: "flex", gap: 2, padding: "0 6px", alignItems: "center" }}>
            <div role="tablist" aria-label={t.tabsLabel} style={{ display: "flex", gap: 2 }}>
              {tabs.map((tab) => (
                <button
                  key={tab.key}
                  type="button"
                  role="tab"
                  aria-selected={tab.key === activeKey}
                  tabIndex={tab.key === activeKey ? 0 : -1}
                  id={tabId(tab.key)}
                  onClick={() => {
                    setActiveKey(tab.key);
                    // A click on a tab means "type there": focus its terminal once it is shown.
                    requestAnimationFrame(() => views.current.get(tab.key)?.focus());
                  }}
                  onKeyDown={(e) => onTabKey(e.key, tab.key)}
                  style={{ ...btn(scheme), borderBottom: tab.key === activeKey ? "2px solid #2563eb" : undefined }}
                >
                  {t.tab(tab.n)}
                </button>
              ))}
            </div>
            <button type="button" aria-label={t.addTab} title={t.addTab} onClick={addTab} style={btn(scheme)}>
              +
            </button>
            {tabs.length > 1 && activeTab && (
              <button
                type="button"
                aria-label={t.closeTab(activeTab.n)}
                title={t.closeTab(activeTab.n)}
                onClick={() => closeTab(activeTab.key)}
                style={btn(scheme)}
              >
                ×
              </button>
            )}
          </div>
          <div style={{ flex: 1, minHeight: 300, display: "flex", flexDirection: "column" }}>
            {tabs.map((tab) => (
              <TerminalView
                key={tab.key}
                ref={(h) => {
                  if (h) views.current.set(tab.key, h);
                }}
                terminalId={tab.terminalId}
                active={tab.key === activeKey}
                label={`${t.regionLabel}: ${t.tab(tab.n)}`}
                describedBy="course-terminal-keys"
                autoFocus={!!tab.autoFocus}
                fontSize={fontSize}
                scheme={scheme}
                screenReaderMode={screenReader}
                auth={auth}
                onStatus={(s, reason) => {
                  setStatuses((m) => ({ ...m, [tab.key]: { status: s, ...(reason ? { reason } : {}) } }));
                  if (reason === "terminal-limit") {
                    setNotice(t.errors["terminal-limit"]);
                    closeTab(tab.key);
                  }
                }}
                onTerminalId={(id) => setTabs((xs) => xs.map((x) => (x.key === tab.key ? { ...x, terminalId: id } : x)))}
                onCommandFinished={(exitCode) =>
                  emit<CommandFinishedDetail>(COMMAND_FINISHED_EVENT, { exitCode, terminalId: tab.terminalId ?? "" })
                }
              />
            ))}
          </div>
        </>
      )}
      <ResetDialog open={resetOpen} locale={locale} onCancel={() => setResetOpen(false)} onConfirm={() => void doReset()} />
    </section>
  );
}

function tabId(key: string): string {
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

// Colours with ≥ 4.5:1 contrast against the white/black text they carry.
const statusColor: Record<ConnStatus, string> = {
  connecting: "#8a5a00",
  connected: "#1a7f37",
  reconnecting: "#8a5a00",
  disconnected: "#b42318",
};
const badge = { color: "#fff", borderRadius: 10, padding: "2px 10px", fontSize: 13, fontWeight: 600 } as const;
const btn = (scheme: "light" | "dark") =>
  ({
    font: "inherit",
    fontSize: 13,
    padding: "3px 8px",
    border: `1px solid ${scheme === "dark" ? "#6e7681" : "#8c959f"}`,
    borderRadius: 4,
    background: scheme === "dark" ? "#21262d" : "#ffffff",
    color: scheme === "dark" ? "#e6edf3" : "#1f2328",
    cursor: "pointer",
  }) as const;

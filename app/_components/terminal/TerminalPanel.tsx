"use client";

import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import { sandboxErrorText } from "@/_i18n/sandbox-errors";
import { COMMAND_FINISHED_EVENT, RUN_EVENT, emit, on, type CommandFinishedDetail, type RunDetail } from "../exercises/events";
import type { ConnStatus } from "./connection";
import ResetDialog from "./ResetDialog";
import SavedWorkNotice from "./SavedWorkNotice";
import TerminalAlert, { type AlertView } from "./TerminalAlert";
import TerminalTabs from "./TerminalTabs";
import TerminalToolbar from "./TerminalToolbar";
import TerminalView from "./TerminalView";
import { useColorScheme } from "./useColorScheme";
import { useSandboxSession, type Session } from "./useSandboxSession";
import { useTerminalTabs } from "./useTerminalTabs";

/**
 * The learner's terminals for one lesson: tabs of Terminals in the same sandbox, a visible connection
 * status, font size, copy/paste, and a guarded "reset sandbox". Runnable code blocks reach it through
 * the `course:run` window event; finished commands go out as `course:command-finished`.
 * The sandbox lives in useSandboxSession, the tabs in useTerminalTabs; this file wires them.
 */
export interface TerminalPanelProps {
  lessonId: string;
  locale: string;
}

const FONT_KEY = "course:terminal-font";
const MIN_FONT = 10;
const MAX_FONT = 28;

export default function TerminalPanel({ lessonId, locale }: TerminalPanelProps) {
  const t = useTranslations("terminal");
  const tErr = useTranslations("sandboxErrors");
  const scheme = useColorScheme();
  const [statuses, setStatuses] = useState<Record<string, { status: ConnStatus; reason?: string }>>({});
  // No markup depends on the font size, so reading localStorage while hydrating cannot mismatch.
  const [fontSize, setFontSize] = useState(() => {
    const f = typeof window === "undefined" ? 0 : Number(localStorage.getItem(FONT_KEY));
    return f >= MIN_FONT && f <= MAX_FONT ? f : 15;
  });
  const [screenReader, setScreenReader] = useState(false);
  const [resetOpen, setResetOpen] = useState(false);
  // An adopted sandbox starts its tabs; the tabs hook needs the session, so it comes second and
  // the sandbox hook reaches it through this ref (a sandbox is adopted only after mount).
  const adoptTabs = useRef<(s: Session) => void>(() => undefined);
  const sb = useSandboxSession({ lessonId, locale, onAdopt: (s) => adoptTabs.current(s) });
  const tabs = useTerminalTabs(sb.session);
  useEffect(() => {
    adoptTabs.current = tabs.startFrom;
  }, [tabs.startFrom]);

  // Runnable code blocks: type the command into the active Terminal and run it.
  useEffect(
    () =>
      on<RunDetail>(RUN_EVENT, ({ command }) => {
        const key = tabs.activeRef.current;
        if (!key || typeof command !== "string") return;
        tabs.views.current.get(key)?.type(command.replace(/\r?\n$/, "") + "\r");
      }),
    [tabs.activeRef, tabs.views],
  );

  /** "Try again": the sandbox again if that failed, and a fresh connection for every tab. */
  const retry = () => {
    if (sb.error || !sb.session) void sb.open();
    for (const v of tabs.views.current.values()) v.reconnect();
  };

  const setFont = (f: number) => {
    const v = Math.min(MAX_FONT, Math.max(MIN_FONT, f));
    setFontSize(v);
    localStorage.setItem(FONT_KEY, String(v));
  };
  const activeView = () => tabs.views.current.get(tabs.activeKey ?? "");

  const active = tabs.activeKey ? statuses[tabs.activeKey] : undefined;
  const unreachable = active?.reason === "unreachable" && active.status !== "connected";
  const queued = sb.error?.code === "queued";
  const activeStatus: ConnStatus =
    (sb.error || unreachable) && !queued && active?.status !== "connected" ? "disconnected" : (active?.status ?? "connecting");
  // What the alert says, most serious first: the sandbox could not be opened, the terminal cannot
  // reach the runner, a notice (expired, moved, resetting, tab limit), a dropped connection being restored.
  const noticeText = (k: NonNullable<typeof sb.notice>) =>
    k === "expired" || k === "moved" ? tErr(k) : k === "terminal-limit" || k === "input-dropped" ? t(`errors.${k}`) : t(k);
  // Waiting in line is no error: a status the screen reader reads as the place changes, no button
  // (the page asks again by itself and connects when the turn comes).
  const alert: AlertView | null = sb.error
    ? {
        kind: queued ? "info" : "error",
        code: sb.error.code,
        text: sandboxErrorText(tErr, sb.error.code, sb.error.retryAfter, sb.error.position),
        retry: sb.error.code !== "unauthorized" && !queued,
      }
    : unreachable
      ? { kind: "error", code: "runner-down", text: t("errors.terminal-unreachable"), retry: true }
      : sb.notice
        ? { kind: "notice", code: "", text: noticeText(sb.notice), retry: false }
        : active?.status === "reconnecting"
          ? { kind: "info", code: "lost-connection", text: t("errors.lost-connection"), retry: false }
          : null;

  return (
    <section
      id="course-terminal"
      tabIndex={-1}
      aria-label={t("regionLabel")}
      className="course-terminal"
      data-scheme={scheme}
      data-sandbox-id={sb.session?.sandboxId ?? ""}
    >
      <TerminalToolbar
        status={activeStatus}
        screenReader={screenReader}
        canReset={!sb.busy && !!sb.session}
        onFont={(d) => setFont(fontSize + d)}
        onCopy={() => void activeView()?.copySelection()}
        onPaste={() => void activeView()?.pasteClipboard()}
        onScreenReader={setScreenReader}
        onReset={() => setResetOpen(true)}
      />
      <p id="course-terminal-keys" className="term-keys">
        {t("keysHelp")}
      </p>
      {alert && <TerminalAlert alert={alert} busy={sb.busy} onRetry={retry} onDismiss={() => sb.setNotice(null)} />}

      {sb.session?.savedWork && <SavedWorkNotice key={sb.session.sandboxId} savedWork={sb.session.savedWork} />}
      {sb.session && (
        <>
          <TerminalTabs
            tabs={tabs.tabs}
            activeKey={tabs.activeKey}
            onChoose={tabs.choose}
            onKey={tabs.onTabKey}
            onAdd={() => tabs.addTab() || sb.setNotice("terminal-limit")}
            onClose={tabs.closeTab}
          />
          <div className="term-views">
            {tabs.tabs.map((tab) => (
              <TerminalView
                key={tab.key}
                ref={(h) => {
                  if (h) tabs.views.current.set(tab.key, h);
                }}
                terminalId={tab.terminalId}
                active={tab.key === tabs.activeKey}
                label={`${t("regionLabel")}: ${t("tab", { n: tab.n })}`}
                describedBy="course-terminal-keys"
                autoFocus={!!tab.autoFocus}
                fontSize={fontSize}
                scheme={scheme}
                screenReaderMode={screenReader}
                auth={sb.auth}
                onStatus={(s, reason) => {
                  setStatuses((m) => ({ ...m, [tab.key]: { status: s, ...(reason ? { reason } : {}) } }));
                  if (reason === "terminal-limit") {
                    sb.setNotice("terminal-limit");
                    tabs.closeTab(tab.key);
                  }
                }}
                onTerminalId={(id) => tabs.setTerminalId(tab.key, id)}
                onRunnerError={(code) => code === "input-dropped" && sb.setNotice("input-dropped")}
                onCommandFinished={(exitCode) =>
                  emit<CommandFinishedDetail>(COMMAND_FINISHED_EVENT, { exitCode, terminalId: tab.terminalId ?? "" })
                }
              />
            ))}
          </div>
        </>
      )}
      <ResetDialog
        open={resetOpen}
        onCancel={() => setResetOpen(false)}
        onConfirm={() => {
          setResetOpen(false);
          void sb.reset(tabs.forget);
        }}
      />
    </section>
  );
}

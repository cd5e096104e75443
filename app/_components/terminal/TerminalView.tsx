"use client";

import "@xterm/xterm/css/xterm.css";
import { forwardRef, useEffect, useImperativeHandle, useRef } from "react";
import type { Terminal } from "@xterm/xterm";
import type { FitAddon } from "@xterm/addon-fit";
import { openConnection, type ConnStatus, type ConnectAuth, type TerminalConnection } from "./connection";
import { terminalThemes, type Scheme } from "./useColorScheme";

/**
 * One xterm.js terminal bound to one runner Terminal (a PTY in the learner's sandbox).
 * xterm touches `window`, so it is imported inside the effect, never during server rendering.
 */
export interface TerminalViewHandle {
  /** Types text into the terminal as if the learner had typed it. */
  type(text: string): void;
  focus(): void;
  copySelection(): Promise<void>;
  pasteClipboard(): Promise<void>;
  /** A fresh connection now (the learner pressed "Try again"). */
  reconnect(): void;
  /** The learner closed this tab: its Terminal (shell) ends on the runner. */
  end(): void;
}

export interface TerminalViewProps {
  terminalId: string | null;
  active: boolean;
  label: string;
  /** id of the element that explains the keyboard (how to leave the terminal, copy, paste). */
  describedBy?: string;
  fontSize: number;
  scheme: Scheme;
  screenReaderMode: boolean;
  /** Take the focus once ready (a tab the learner just opened). */
  autoFocus?: boolean;
  auth: ConnectAuth;
  onStatus(status: ConnStatus, reason?: string): void;
  onTerminalId(id: string): void;
  onCommandFinished(exitCode: number | null): void;
  /** A non-fatal ERROR frame from the runner (e.g. "input-dropped": the shell was not reading). */
  onRunnerError?(code: string): void;
}

const TerminalView = forwardRef<TerminalViewHandle, TerminalViewProps>(function TerminalView(props, ref) {
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const fit = useRef<FitAddon | null>(null);
  const conn = useRef<TerminalConnection | null>(null);
  // Callbacks change on every render of the panel; the connection reads the latest through this ref.
  const latest = useRef(props);
  latest.current = props;

  useImperativeHandle(ref, () => ({
    type(text) {
      conn.current?.send(text);
      term.current?.focus();
    },
    focus() {
      term.current?.focus();
    },
    // The toolbar's Copy/Paste give the focus back to the terminal: left on the button, the next
    // Enter would press it again (a second paste) instead of running the line.
    async copySelection() {
      const t = term.current;
      t?.focus();
      if (t?.hasSelection()) await navigator.clipboard?.writeText(t.getSelection()).catch(() => undefined);
    },
    async pasteClipboard() {
      term.current?.focus();
      const text = await navigator.clipboard?.readText().catch(() => "");
      if (text) term.current?.paste(text);
      term.current?.focus();
    },
    reconnect() {
      conn.current?.reconnect();
    },
    end() {
      conn.current?.end();
    },
  }));

  useEffect(() => {
    let disposed = false;
    let onResize: (() => void) | undefined;
    let observer: ResizeObserver | undefined;
    (async () => {
      const [{ Terminal }, { FitAddon }, { WebLinksAddon }] = await Promise.all([
        import("@xterm/xterm"),
        import("@xterm/addon-fit"),
        import("@xterm/addon-web-links"),
      ]);
      if (disposed || !host.current) return;
      const p = latest.current;
      const t = new Terminal({
        fontSize: p.fontSize,
        fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
        theme: terminalThemes[p.scheme],
        screenReaderMode: p.screenReaderMode,
        cursorBlink: true,
        minimumContrastRatio: 4.5,
        scrollback: 5000,
        convertEol: false,
      });
      const f = new FitAddon();
      t.loadAddon(f);
      t.loadAddon(new WebLinksAddon((_e, uri) => window.open(uri, "_blank", "noopener,noreferrer")));
      // Tab belongs to the shell (completion), so the terminal would trap keyboard users: Escape
      // then Tab (or Shift+Tab) leaves it, as in code editors. The Escape itself still reaches the shell.
      let escapedAt = 0;
      // Keyboard copy/paste like desktop terminals: Ctrl+Shift+C / Ctrl+Shift+V (Ctrl+C stays SIGINT).
      t.attachCustomKeyEventHandler((e) => {
        if (e.type === "keydown" && e.key === "Escape" && !e.ctrlKey && !e.altKey && !e.metaKey) {
          escapedAt = Date.now();
          return true;
        }
        if (e.type === "keydown" && e.key === "Tab" && !e.ctrlKey && !e.altKey && Date.now() - escapedAt < 3000) {
          escapedAt = 0;
          return false; // not for xterm: the browser moves the focus
        }
        if (e.type === "keydown" && e.key !== "Shift") escapedAt = 0;
        if (e.type !== "keydown" || !e.ctrlKey || !e.shiftKey) return true;
        const key = e.key.toLowerCase();
        if (key === "c") {
          if (t.hasSelection()) void navigator.clipboard?.writeText(t.getSelection()).catch(() => undefined);
          e.preventDefault();
          return false;
        }
        if (key === "v") {
          e.preventDefault();
          void navigator.clipboard
            ?.readText()
            .then((text) => text && t.paste(text))
            .catch(() => undefined);
          return false;
        }
        return true;
      });
      t.open(host.current);
      t.textarea?.setAttribute("aria-label", p.label);
      if (p.describedBy) t.textarea?.setAttribute("aria-describedby", p.describedBy);
      term.current = t;
      fit.current = f;
      try {
        f.fit();
      } catch {
        // a hidden tab has no size yet; it is fitted when it becomes visible
      }

      const c = openConnection({
        terminalId: p.terminalId,
        cols: t.cols,
        rows: t.rows,
        auth: (...a) => latest.current.auth(...a),
        onOutput: (data, done) => t.write(data, done),
        onReset: () => t.reset(),
        onEvent: (e) => {
          if (e.type === "command-finished") latest.current.onCommandFinished(typeof e.exitCode === "number" ? e.exitCode : null);
        },
        onStatus: (s, reason) => latest.current.onStatus(s, reason),
        onError: (code) => latest.current.onRunnerError?.(code),
        onTerminalId: (id) => latest.current.onTerminalId(id),
        size: () => ({ cols: t.cols, rows: t.rows }),
      });
      conn.current = c;
      t.onData((d) => c.send(d));
      t.onBinary((d) => c.send(d));
      t.onResize(({ cols, rows }) => c.resize(cols, rows));

      onResize = () => {
        if (!host.current || host.current.offsetParent === null) return;
        try {
          f.fit();
        } catch {
          /* not visible */
        }
      };
      window.addEventListener("resize", onResize);
      observer = new ResizeObserver(onResize);
      observer.observe(host.current);
      // Only a tab the learner just opened takes the focus: on page load the focus stays where
      // the learner is (a terminal grabbing it would trap keyboard users at the start).
      if (latest.current.active && latest.current.autoFocus) t.focus();
    })();
    return () => {
      disposed = true;
      if (onResize) window.removeEventListener("resize", onResize);
      observer?.disconnect();
      conn.current?.close();
      term.current?.dispose();
      conn.current = null;
      term.current = null;
    };
    // The terminal lives as long as this view; options below are applied without recreating it.
  }, []);

  useEffect(() => {
    const t = term.current;
    if (!t) return;
    t.options.fontSize = props.fontSize;
    t.options.theme = terminalThemes[props.scheme];
    t.options.screenReaderMode = props.screenReaderMode;
    try {
      fit.current?.fit();
    } catch {
      /* hidden */
    }
  }, [props.fontSize, props.scheme, props.screenReaderMode]);

  useEffect(() => {
    if (!props.active) return;
    try {
      fit.current?.fit();
    } catch {
      /* not laid out yet */
    }
  }, [props.active]);

  return (
    <div
      role="tabpanel"
      aria-label={props.label}
      hidden={!props.active}
      data-terminal-id={props.terminalId ?? ""}
      className="course-terminal-view"
    >
      <div ref={host} className="course-terminal-view__host" />
    </div>
  );
});

export default TerminalView;

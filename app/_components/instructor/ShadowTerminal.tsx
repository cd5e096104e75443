"use client";

import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef, useState } from "react";
import { useTranslations } from "next-intl";
import type { Terminal } from "@xterm/xterm";
import { TerminalClient } from "@contract/terminal-client";
import { terminalThemes, useColorScheme } from "@/_components/terminal/useColorScheme";

interface Observe {
  live: boolean;
  wsUrl?: string;
  token?: string;
  terminals?: string[];
}

async function observe(sandboxId: string): Promise<Observe> {
  const res = await fetch(`/api/observe/${encodeURIComponent(sandboxId)}`, { method: "POST", credentials: "same-origin" });
  if (!res.ok) throw new Error(`observe answered ${res.status}`);
  return res.json();
}

/**
 * Live shadowing: a read-only xterm attached to a learner's Terminal with an OBSERVER token. The
 * runner sends the screen snapshot then every byte of output; it never lets an observer type or
 * resize, and this view does not even send input (stdin disabled). The size follows the learner's.
 */
export default function ShadowTerminal({
  sandboxId,
  learnerName,
  autoOpen = false,
  fontSize = 14,
}: {
  sandboxId: string;
  learnerName: string;
  /** open at once (the terminal grid's thumbnails) */
  autoOpen?: boolean;
  fontSize?: number;
}) {
  const t = useTranslations("instructor");
  const scheme = useColorScheme();
  const [open, setOpen] = useState(autoOpen);
  const [terminals, setTerminals] = useState<string[] | null>(null);
  const [terminal, setTerminal] = useState<string | null>(null);
  const [status, setStatus] = useState<"connecting" | "live" | "closed" | "offline">("connecting");
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);

  useEffect(() => {
    if (!open) return;
    let cancelled = false;
    observe(sandboxId)
      .then((o) => {
        if (cancelled) return;
        if (!o.live || !o.terminals?.length) return setStatus("offline");
        setTerminals(o.terminals);
        setTerminal((cur) => cur ?? o.terminals![0]!);
      })
      .catch(() => !cancelled && setStatus("offline"));
    return () => {
      cancelled = true;
    };
  }, [open, sandboxId]);

  useEffect(() => {
    if (!open || !terminal) return;
    let disposed = false;
    let client: TerminalClient | null = null;
    (async () => {
      const { Terminal } = await import("@xterm/xterm");
      if (disposed || !host.current) return;
      const x = new Terminal({
        disableStdin: true,
        cursorBlink: false,
        fontSize,
        fontFamily: '"DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace',
        theme: terminalThemes[scheme],
        scrollback: 5000,
      });
      x.open(host.current);
      x.textarea?.setAttribute("aria-label", t("shadowTitle", { name: learnerName }));
      x.textarea?.setAttribute("aria-readonly", "true");
      term.current = x;
      const first = await observe(sandboxId).catch(() => null);
      if (disposed) return;
      if (!first?.live || !first.wsUrl) return setStatus("offline");
      let nextToken: string | undefined = first.token;
      client = new TerminalClient({
        url: first.wsUrl,
        terminal,
        cols: x.cols,
        rows: x.rows,
        // The first token came with the URL; every reconnection asks the app for a fresh one.
        getToken: async () => {
          if (nextToken) {
            const tok = nextToken;
            nextToken = undefined;
            return tok;
          }
          const o = await observe(sandboxId);
          if (!o.live || !o.token) throw new Error("the sandbox is not running any more");
          return o.token;
        },
        onSnapshot: (data, size) => {
          x.reset();
          x.resize(size.cols, size.rows);
          x.write(data);
        },
        onOutput: (data, done) => x.write(data, done),
        onEvent: (e) => {
          if (e.type === "resize") x.resize(e.cols, e.rows);
        },
        onStatus: (s) => {
          if (s.state === "attached") setStatus("live");
          else if (s.state === "closed" || s.state === "exited") setStatus("closed");
          else setStatus("connecting");
        },
      });
      client.connect();
    })();
    return () => {
      disposed = true;
      client?.close();
      term.current?.dispose();
      term.current = null;
    };
    // The theme is applied below without reconnecting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open, terminal, sandboxId]);

  useEffect(() => {
    if (term.current) term.current.options.theme = terminalThemes[scheme];
  }, [scheme]);

  if (!open) {
    return (
      <button type="button" className="btn btn--primary btn--small" onClick={() => setOpen(true)} data-testid="shadow-open">
        {t("shadow")}
      </button>
    );
  }
  return (
    <section className="shadow" aria-label={t("shadowTitle", { name: learnerName })} data-testid="shadow">
      <div className="shadow__bar">
        <p
          className={`live-badge live-badge--${status === "live" ? "on" : "off"}`}
          role="status"
          data-testid="shadow-status"
          data-status={status}
        >
          <span aria-hidden="true" className="live-badge__dot" />
          {status === "live"
            ? t("shadowLive")
            : status === "offline"
              ? t("shadowOffline")
              : status === "closed"
                ? t("shadowClosed")
                : t("shadowConnecting")}
        </p>
        {terminals && terminals.length > 1 && (
          <label className="field field--inline">
            <span className="field__label">{t("terminals")}</span>
            <select
              value={terminal ?? ""}
              onChange={(e) => {
                setStatus("connecting");
                setTerminal(e.target.value);
              }}
            >
              {terminals.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="btn btn--ghost btn--small" onClick={() => setOpen(false)}>
          {t("stopShadow")}
        </button>
      </div>
      <p className="muted small">{t("shadowReadOnly")}</p>
      <div className="shadow__screen" style={{ background: terminalThemes[scheme].background }}>
        <div ref={host} className="shadow__xterm" />
      </div>
    </section>
  );
}

"use client";

import { CloseCode, FATAL_CLOSE_CODES, PROTOCOL_VERSION, decodeServerFrame, encodeClientFrame, type TerminalEvent } from "@runner/terminal/protocol";

/**
 * One browser ↔ runner Terminal connection with automatic reconnection. The runner keeps the screen
 * (SNAPSHOT on attach), so a reconnection repaints the screen as it was.
 * Flow control: OUTPUT bytes are acknowledged once xterm has drawn them (wetty's habit).
 */
export type ConnStatus = "connecting" | "connected" | "reconnecting" | "disconnected";
/** "first": initial connect (cached token is fine); "again": reconnect (the token may have expired). */
export type ConnectAuth = (reason: "first" | "again") => Promise<{ url: string; token: string }>;

export interface ConnectOptions {
  terminalId: string | null;
  cols: number;
  rows: number;
  auth: ConnectAuth;
  onOutput(data: Uint8Array | string, done: () => void): void;
  /** A SNAPSHOT is about to repaint the whole screen. */
  onReset(): void;
  onEvent(e: TerminalEvent): void;
  onStatus(s: ConnStatus, reason?: string): void;
  onTerminalId(id: string): void;
}

export interface TerminalConnection {
  send(data: string): void;
  resize(cols: number, rows: number): void;
  close(): void;
}

const enc = new TextEncoder();
const MAX_INPUT_CHUNK = 16 * 1024;

export function reconnectDelay(attempt: number): number {
  return Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
}

export function openConnection(o: ConnectOptions): TerminalConnection {
  let ws: WebSocket | null = null;
  let terminalId = o.terminalId;
  let cols = o.cols;
  let rows = o.rows;
  let closed = false;
  let attempt = 0;
  let attached = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending: Uint8Array[] = []; // input typed while (re)connecting, e.g. a clicked code block

  const sendFrame = (bytes: Uint8Array) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(bytes);
  };

  const schedule = () => {
    if (closed) return;
    o.onStatus("reconnecting");
    timer = setTimeout(() => void connect("again"), reconnectDelay(attempt++));
  };

  async function connect(reason: "first" | "again") {
    if (closed) return;
    attached = false;
    o.onStatus(reason === "first" ? "connecting" : "reconnecting");
    let creds: { url: string; token: string };
    try {
      creds = await o.auth(reason);
    } catch {
      // auth reported its own error (runner down, capacity, replaced sandbox); try again later
      return closed ? undefined : schedule();
    }
    if (closed) return;
    const sock = new WebSocket(creds.url);
    sock.binaryType = "arraybuffer";
    ws = sock;
    sock.onopen = () => {
      const hello = { v: PROTOCOL_VERSION, token: creds.token, cols, rows, ...(terminalId ? { terminal: terminalId } : {}) };
      sock.send(encodeClientFrame({ type: "hello", hello }));
    };
    sock.onmessage = (ev) => {
      if (!(ev.data instanceof ArrayBuffer)) return;
      const d = decodeServerFrame(new Uint8Array(ev.data));
      if (!d.ok) return;
      const f = d.frame;
      switch (f.type) {
        case "attached":
          attached = true;
          attempt = 0;
          if (f.attached.terminal !== terminalId) {
            terminalId = f.attached.terminal;
            o.onTerminalId(terminalId);
          }
          o.onStatus("connected");
          if (f.attached.cols !== cols || f.attached.rows !== rows) sendFrame(encodeClientFrame({ type: "resize", cols, rows }));
          for (const p of pending.splice(0)) sendFrame(encodeClientFrame({ type: "input", data: p }));
          break;
        case "snapshot":
          o.onReset();
          o.onOutput(f.data, () => undefined);
          break;
        case "output": {
          const n = f.data.length;
          o.onOutput(f.data, () => sendFrame(encodeClientFrame({ type: "ack", bytes: n })));
          break;
        }
        case "event":
          o.onEvent(f.event);
          break;
        case "exit":
          // The shell ended (e.g. `exit`): the runner closes; a new attach starts a fresh shell in a new Terminal.
          terminalId = null;
          break;
        default:
          break;
      }
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      if (closed) return;
      if (ev.code === CloseCode.TOO_MANY_TERMINALS) {
        closed = true;
        o.onStatus("disconnected", "terminal-limit");
        return;
      }
      if (ev.code === CloseCode.TERMINAL_NOT_FOUND || ev.code === CloseCode.SANDBOX_GONE) {
        // The Terminal (or sandbox) is gone: the next attach opens a new one; auth() replaces a gone sandbox.
        terminalId = null;
        return schedule();
      }
      if (FATAL_CLOSE_CODES.has(ev.code) && ev.code !== CloseCode.BAD_TOKEN) {
        closed = true;
        o.onStatus("disconnected", `close ${ev.code}: ${ev.reason}`);
        return;
      }
      void attached;
      schedule();
    };
  }

  void connect("first");

  return {
    send(data) {
      const bytes = enc.encode(data);
      for (let i = 0; i < bytes.length; i += MAX_INPUT_CHUNK) {
        const chunk = bytes.subarray(i, i + MAX_INPUT_CHUNK);
        if (ws && ws.readyState === WebSocket.OPEN && attached) ws.send(encodeClientFrame({ type: "input", data: chunk }));
        else pending.push(chunk);
      }
    },
    resize(c, r) {
      cols = c;
      rows = r;
      if (attached) sendFrame(encodeClientFrame({ type: "resize", cols: c, rows: r }));
    },
    close() {
      closed = true;
      clearTimeout(timer);
      ws?.close(CloseCode.NORMAL);
      ws = null;
      o.onStatus("disconnected");
    },
  };
}

"use client";

import { TerminalClient, type TerminalStatus, type WebSocketLike } from "@contract/terminal-client";
import { CloseCode, type TerminalEvent } from "@contract/protocol";

/**
 * One tab's link to a runner Terminal, over the runner's TerminalClient (flow control, backoff,
 * SNAPSHOT on reattach). This adapter adds what the page needs on top: input typed while
 * (re)connecting is kept and sent on attach (a clicked code block is not lost), a fresh token from
 * the app for every connection, and a new Terminal when the old one is gone (shell exited,
 * Terminal or sandbox removed) instead of a dead tab.
 */
export type ConnStatus = "connecting" | "connected" | "reconnecting" | "disconnected";
/** "first": initial connect (a cached token is fine); "again": reconnect (the token may have expired). */
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
  /** A non-fatal ERROR frame from the runner, by code. */
  onError?(code: string): void;
  onTerminalId(id: string): void;
  /** Current size of the xterm (sent on attach so the PTY matches this window). */
  size(): { cols: number; rows: number };
}

export interface TerminalConnection {
  send(data: string): void;
  resize(cols: number, rows: number): void;
  /** Try again now (after the learner pressed "Try again"): a fresh connection to the same Terminal. */
  reconnect(): void;
  /** The learner closed this tab: end its Terminal on the runner (its shell), then disconnect. */
  end(): void;
  close(): void;
}

/**
 * Reasons passed with a status: "lost" (a drop, reconnecting by itself), "unreachable" (several
 * attempts in a row failed: the runner is down or the network is gone; the learner gets a Retry),
 * "terminal-limit" (the sandbox refused another Terminal).
 */
export const UNREACHABLE_AFTER_ATTEMPTS = 3;
/** Backoff of the underlying client: gives up after about half a minute (the panel offers a Retry). */
const BACKOFF = { initialMs: 500, maxMs: 8000, maxAttempts: 7 };

/** Close codes after which this tab should open a new Terminal rather than give up. */
const START_OVER = new Set<number>([
  CloseCode.TERMINAL_NOT_FOUND,
  CloseCode.SANDBOX_GONE,
  CloseCode.NORMAL,
  CloseCode.BAD_TOKEN,
  CloseCode.FORBIDDEN,
]);

export function openConnection(o: ConnectOptions): TerminalConnection {
  let closed = false;
  let client: TerminalClient | null = null;
  let url = "";
  let first = true;
  let restarts = 0;
  let current: string | undefined = o.terminalId ?? undefined;
  const pending: string[] = [];

  let generation = 0; // a newer start() (Retry) wins over one still waiting for credentials
  const start = async (terminal: string | undefined) => {
    const g = ++generation;
    current = terminal;
    let creds: { url: string; token: string };
    try {
      creds = await o.auth(first ? "first" : "again");
    } catch {
      // The panel shows why (runner down, capacity, replaced sandbox); try again a little later.
      if (!closed && g === generation) {
        o.onStatus("reconnecting");
        setTimeout(() => !closed && g === generation && void start(terminal), 3000);
      }
      return;
    }
    if (closed || g !== generation) return;
    url = creds.url;
    let token: string | null = creds.token;
    const size = o.size();
    const c = new TerminalClient({
      url,
      ...(terminal ? { terminal } : {}),
      cols: size.cols,
      rows: size.rows,
      backoff: BACKOFF,
      webSocket: openSocket,
      // The first connection uses the token we already have; each reconnection asks the app again.
      getToken: async () => {
        if (token) {
          const t = token;
          token = null;
          return t;
        }
        return (await o.auth("again")).token;
      },
      onOutput: (data, done) => o.onOutput(data, done),
      onSnapshot: (data) => {
        o.onReset();
        o.onOutput(data, () => undefined);
      },
      onEvent: (e) => o.onEvent(e),
      onError: (e) => o.onError?.(e.code),
      onStatus: (s) => onStatus(c, s),
    });
    client = c;
    first = false;
    c.connect();
  };

  const onStatus = (c: TerminalClient, s: TerminalStatus) => {
    if (closed || c !== client) return;
    switch (s.state) {
      case "connecting":
        if (s.attempt === 0 && restarts === 0) o.onStatus("connecting");
        else o.onStatus("reconnecting", s.attempt >= UNREACHABLE_AFTER_ATTEMPTS ? "unreachable" : "lost");
        return;
      case "attached": {
        restarts = 0;
        if (c.terminal) {
          current = c.terminal;
          o.onTerminalId(c.terminal);
        }
        const { cols, rows } = o.size();
        if (cols !== s.attached.cols || rows !== s.attached.rows) c.resize(cols, rows);
        o.onStatus("connected");
        for (const p of pending.splice(0)) c.sendInput(p);
        return;
      }
      case "reconnecting":
        o.onStatus("reconnecting", s.attempt >= UNREACHABLE_AFTER_ATTEMPTS ? "unreachable" : "lost");
        return;
      case "exited":
        // The shell ended (e.g. `exit`): this tab gets a fresh Terminal.
        return restart(undefined);
      case "closed":
        if (s.code === CloseCode.TOO_MANY_TERMINALS) {
          o.onStatus("disconnected", "terminal-limit");
          return;
        }
        if (START_OVER.has(s.code) && restarts < 3)
          return restart(s.code === CloseCode.BAD_TOKEN || s.code === CloseCode.FORBIDDEN ? c.terminal : undefined);
        // Gave up after its backoff (runner down, network gone) or a refusal we cannot fix here.
        o.onStatus("disconnected", "unreachable");
        return;
    }
  };

  const restart = (terminal: string | undefined) => {
    restarts++;
    client?.close();
    client = null;
    o.onStatus("reconnecting");
    setTimeout(() => !closed && void start(terminal), 300 * restarts);
  };

  void start(o.terminalId ?? undefined);

  return {
    send(data) {
      if (!client || !client.sendInput(data)) pending.push(data);
    },
    resize(cols, rows) {
      client?.resize(cols, rows);
    },
    reconnect() {
      if (closed) return;
      if (client?.isAttached) return;
      client?.close();
      client = null;
      restarts = 0;
      first = false;
      o.onStatus("reconnecting", "lost");
      void start(current);
    },
    end() {
      closed = true;
      client?.end();
      client = null;
    },
    close() {
      closed = true;
      client?.close();
      client = null;
    },
  };
}

/**
 * `new WebSocket` throws at once for a URL the page may not reach (Content-Security-Policy, a bad
 * RUNNER_PUBLIC_URL): turn that into a socket that closes like a failed connection (1006), so the
 * client retries and the learner sees "cannot reach the sandbox service" instead of a frozen
 * "connecting".
 */
function openSocket(url: string): WebSocketLike {
  try {
    return new WebSocket(url) as unknown as WebSocketLike;
  } catch (e) {
    console.error(`[terminal] cannot open ${url}: ${(e as Error).message}`);
    const failed: WebSocketLike = {
      binaryType: "arraybuffer",
      readyState: 3,
      send() {},
      close() {},
      onopen: null,
      onmessage: null,
      onclose: null,
      onerror: null,
    };
    setTimeout(() => failed.onclose?.({ code: 1006, reason: (e as Error).message }), 0);
    return failed;
  }
}

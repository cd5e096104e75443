import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { randomBytes } from "node:crypto";
import { WebSocketServer, WebSocket, type RawData } from "ws";
import type { Logger } from "pino";
import type { TerminalHub } from "../terminal/hub";
import { CloseCode, decodeClientFrame, encodeServerFrame, type ClientFrame, type Hello } from "../../../contract/protocol";
import type { ClientSink, Terminal } from "../terminal/terminal";
import type { Metrics } from "./metrics";
import type { SandboxPort } from "./port";
import { FAULTS, isFault, type FaultCode } from "../../../contract/faults";
import { verifyToken } from "../../../contract/token";

export const TERMINALS_PATH = "/v1/terminals";

export interface WsDeps {
  sandboxes: SandboxPort;
  terminals: TerminalHub;
  publicKey: string;
  runnerName: string;
  metrics: Metrics;
  log: Logger;
  authTimeoutMs?: number;
}

/** ws refuses messages above this itself (close 1009); between MAX_CLIENT_FRAME_BYTES and this we answer 4413. */
const WS_MAX_PAYLOAD = 1024 * 1024;
const MAX_EARLY_FRAMES = 64;

function closeReason(s: string): string {
  // WebSocket close reasons are limited to 123 bytes.
  const b = Buffer.from(s);
  return b.length <= 123
    ? s
    : b
        .subarray(0, 120)
        .toString("utf8")
        .replace(/\uFFFD$/, "") + "...";
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/**
 * The Terminal WebSocket endpoint: ws in noServer mode on the HTTP server's `upgrade`. Each socket
 * authenticates with its first frame (HELLO: token + terminal + size, as in ttyd: no token in the
 * URL, so none in access logs), then streams. Any protocol violation closes that socket only.
 */
export function attachTerminalSockets(server: import("node:http").Server, deps: WsDeps): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false });

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const pathname = (req.url ?? "").split("?")[0];
    if (pathname !== TERMINALS_PATH) {
      socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => handle(ws));
  };
  server.on("upgrade", onUpgrade);

  const handle = (ws: WebSocket) => {
    const id = `c-${randomBytes(6).toString("hex")}`;
    const log = deps.log.child({ client: id });
    let state: "auth" | "authenticating" | "attached" | "closed" = "auth";
    let terminal: Terminal | undefined;
    let role: "learner" | "observer" = "observer";
    const early: ClientFrame[] = [];

    // A function, not an inline test: `state` changes in the socket's handlers while attach awaits.
    const isClosed = () => state === "closed";
    const close = (code: number, reason: string) => {
      if (state === "closed") return;
      state = "closed";
      clearTimeout(authTimer);
      terminal?.detach(id);
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.close(code, closeReason(reason));
    };
    /** A refusal: its close code comes from the one fault table. */
    const refuse = (code: FaultCode, reason: string) => close(FAULTS[code].close, reason);
    const send = (frame: Uint8Array) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(frame, { binary: true });
    };

    const authTimer = setTimeout(() => close(CloseCode.AUTH_TIMEOUT, "no HELLO within the time allowed"), deps.authTimeoutMs ?? 5000);

    ws.on("close", (code) => {
      deps.metrics.wsCloses.inc({ code: String(code) });
      if (state !== "closed") {
        state = "closed";
        clearTimeout(authTimer);
        terminal?.detach(id);
      }
      log.debug({ code, terminal: terminal?.id }, "terminal socket closed");
    });
    ws.on("error", (err) => log.info({ err: err.message }, "terminal socket error"));

    const onFrame = (f: ClientFrame) => {
      if (!terminal) return;
      switch (f.type) {
        case "hello":
          return close(CloseCode.MALFORMED_FRAME, "HELLO sent twice");
        case "input":
          if (role !== "learner") {
            send(encodeServerFrame({ type: "error", error: { code: "read-only", message: "observers cannot type in this terminal" } }));
            return;
          }
          terminal.input(id, f.data);
          return;
        case "resize":
          if (role === "learner") terminal.resize(id, f.cols, f.rows);
          return;
        case "ack":
          terminal.ack(id, f.bytes);
          return;
        case "ping":
          send(encodeServerFrame({ type: "pong", data: f.data }));
          return;
        case "close":
          // Only the learner ends a Terminal (a closed tab); its exit then closes every client with 1000.
          if (role !== "learner") {
            send(encodeServerFrame({ type: "error", error: { code: "read-only", message: "observers cannot close this terminal" } }));
            return;
          }
          terminal.kill();
          return;
      }
    };

    const authenticate = async (hello: Hello) => {
      const v = await verifyToken(deps.publicKey, hello.token, { runner: deps.runnerName });
      if (state === "closed") return;
      if (!v.ok) return refuse(v.reason === "expired" ? "token-expired" : "unauthorized", v.message);
      const { claims } = v;
      if (claims.role === "app") return refuse("forbidden", "app tokens cannot open terminals");
      const sb = deps.sandboxes.get(claims.sid);
      if (!sb || sb.state !== "running") return refuse("not-running", `sandbox ${claims.sid} is not running; create a new one`);
      if (claims.role === "learner" && sb.owner !== claims.sub) return refuse("forbidden", "this sandbox belongs to someone else");
      role = claims.role;

      let t: Terminal | undefined;
      if (hello.terminal) {
        t = deps.terminals.get(sb.id, hello.terminal);
        if (!t || t.exited) return refuse("terminal-not-found", `terminal ${hello.terminal} does not exist (its shell may have exited)`);
      } else if (role === "learner") {
        try {
          t = await deps.terminals.open(sb.id, hello.cols, hello.rows);
          if (isClosed()) {
            // The socket went away while its shell started (a reload, a tab closed at once): nobody
            // ever got this Terminal's id, so nobody could reattach; left running it would hold a slot.
            t.kill();
            return;
          }
        } catch (e) {
          if (isFault(e, "too-many-terminals")) return close(e.closeCode, e.message);
          log.error({ err: e }, "could not open a terminal");
          if (isFault(e, "not-running", "not-found") || deps.sandboxes.get(sb.id)?.state !== "running")
            return refuse("not-running", `sandbox ${sb.id} stopped while its shell was starting; create a new one`);
          return refuse("internal", "could not start a shell in the sandbox");
        }
      } else {
        t = deps.terminals.list(sb.id)[0];
        if (!t) return refuse("terminal-not-found", "the learner has no terminal open yet");
      }
      terminal = t;
      clearTimeout(authTimer);
      state = "attached";
      // The learner's window decides the size; observers take the Terminal's size from ATTACHED.
      if (role === "learner") t.resizeTo(hello.cols, hello.rows);
      deps.sandboxes.touch(sb.id);
      const sink: ClientSink = { id, role, send, close };
      log.info({ sandbox: sb.id, terminal: t.id, role, user: claims.sub }, "terminal attached");
      t.attach(sink);
      for (const f of early.splice(0)) if (state === "attached") onFrame(f);
    };

    ws.on("message", (data, isBinary) => {
      if (state === "closed") return;
      if (!isBinary) return close(CloseCode.MALFORMED_FRAME, "text frames are not part of the protocol; send binary frames");
      const d = decodeClientFrame(toBytes(data));
      if (!d.ok) {
        log.info({ code: d.error.closeCode, reason: d.error.reason }, "bad frame");
        return close(d.error.closeCode, d.error.reason);
      }
      const f = d.frame;
      if (state === "auth") {
        if (f.type !== "hello") return close(CloseCode.MALFORMED_FRAME, "the first frame must be HELLO");
        state = "authenticating";
        authenticate(f.hello).catch((err) => {
          log.error({ err }, "attach failed");
          refuse("internal", "internal error while attaching");
        });
        return;
      }
      if (state === "authenticating") {
        // Input typed before the token is checked is kept (bounded) and applied after attach.
        if (f.type === "hello") return close(CloseCode.MALFORMED_FRAME, "HELLO sent twice");
        if (early.length >= MAX_EARLY_FRAMES) return close(CloseCode.MALFORMED_FRAME, "too many frames before authentication finished");
        early.push(f);
        return;
      }
      onFrame(f);
    });
  };

  return {
    close() {
      server.off("upgrade", onUpgrade);
      for (const c of wss.clients) c.close(CloseCode.SERVER_SHUTDOWN, "runner shutting down");
      wss.close();
    },
  };
}

/**
 * The Terminal wire protocol (see contract/PROTOCOL.md): one WebSocket binary message is one
 * frame, its first byte says what it is (ttyd's habit). Pure and browser-safe: Uint8Array,
 * TextEncoder/TextDecoder and DataView only, no Node APIs. The decoders never throw: an attacker's
 * bytes become a typed error the server turns into a close code.
 */

import { TERMINAL_ID_RE } from "./ids";

export const PROTOCOL_VERSION = 1;

/** Largest frame a client may send (INPUT chunks are split by the client below this). */
export const MAX_CLIENT_FRAME_BYTES = 64 * 1024;
/** Longest token/handshake JSON accepted inside HELLO. */
export const MAX_HELLO_JSON_BYTES = 8 * 1024;
export const MAX_PING_BYTES = 64;
export const MIN_COLS = 2;
export const MAX_COLS = 1000;
export const MIN_ROWS = 1;
export const MAX_ROWS = 500;

/** Client → runner. */
export const ClientType = {
  HELLO: 0x01,
  INPUT: 0x02,
  RESIZE: 0x03,
  ACK: 0x04,
  PING: 0x05,
  CLOSE: 0x06,
} as const;

/** Runner → client. */
export const ServerType = {
  ATTACHED: 0x81,
  OUTPUT: 0x82,
  SNAPSHOT: 0x83,
  EVENT: 0x84,
  EXIT: 0x85,
  ERROR: 0x86,
  PONG: 0x87,
} as const;

/** WebSocket close codes of this protocol (4000–4999 are the application's own). */
export const CloseCode = {
  NORMAL: 1000,
  SERVER_SHUTDOWN: 4000,
  BAD_TOKEN: 4001,
  TOKEN_EXPIRED: 4002,
  FORBIDDEN: 4003,
  SANDBOX_GONE: 4004,
  TOO_MANY_TERMINALS: 4005,
  TERMINAL_NOT_FOUND: 4006,
  MALFORMED_FRAME: 4400,
  FRAME_TOO_LARGE: 4413,
  AUTH_TIMEOUT: 4408,
  SLOW_CONSUMER: 4409,
  INTERNAL: 4500,
} as const;
export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];

/** Close codes after which reconnecting cannot help (the client should stop and tell the person). */
export const FATAL_CLOSE_CODES: ReadonlySet<number> = new Set([
  CloseCode.BAD_TOKEN,
  CloseCode.FORBIDDEN,
  CloseCode.SANDBOX_GONE,
  CloseCode.TOO_MANY_TERMINALS,
  CloseCode.TERMINAL_NOT_FOUND,
  CloseCode.MALFORMED_FRAME,
  CloseCode.FRAME_TOO_LARGE,
]);

export interface Hello {
  v: number;
  token: string;
  /** Terminal to attach to; absent = a learner opens a new Terminal (tab). */
  terminal?: string;
  cols: number;
  rows: number;
}

/** The HELLO a client sends first: this protocol's version, 80×24 unless told, a terminal only when reattaching. */
export function helloFrame(o: { token: string; cols?: number; rows?: number; terminal?: string }): ClientFrame {
  return {
    type: "hello",
    hello: { v: PROTOCOL_VERSION, token: o.token, cols: o.cols ?? 80, rows: o.rows ?? 24, ...(o.terminal ? { terminal: o.terminal } : {}) },
  };
}

export type ClientFrame =
  | { type: "hello"; hello: Hello }
  | { type: "input"; data: Uint8Array }
  | { type: "resize"; cols: number; rows: number }
  | { type: "ack"; bytes: number }
  | { type: "ping"; data: Uint8Array }
  /** The learner closed this tab: end the Terminal (its shell is hung up), not just this socket. */
  | { type: "close" };

export interface Attached {
  terminal: string;
  sandbox: string;
  role: "learner" | "observer";
  cols: number;
  rows: number;
}

export type TerminalEvent =
  | { type: "command-finished"; exitCode: number | null }
  | { type: "prompt" }
  | { type: "resize"; cols: number; rows: number }
  | { type: "paused"; reason: string }
  | { type: "recording-truncated" };

export interface ProtocolErrorBody {
  code: string;
  message: string;
}

export type ServerFrame =
  | { type: "attached"; attached: Attached }
  | { type: "output"; data: Uint8Array }
  | { type: "snapshot"; data: string }
  | { type: "event"; event: TerminalEvent }
  | { type: "exit"; exitCode: number; signal: number }
  | { type: "error"; error: ProtocolErrorBody }
  | { type: "pong"; data: Uint8Array };

export type DecodeError = { closeCode: (typeof CloseCode)["MALFORMED_FRAME"] | (typeof CloseCode)["FRAME_TOO_LARGE"]; reason: string };
export type Decoded<T> = { ok: true; frame: T } | { ok: false; error: DecodeError };

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: true });

function withType(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(payload.length + 1);
  out[0] = type;
  out.set(payload, 1);
  return out;
}

function u16pair(type: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(5);
  const v = new DataView(out.buffer);
  out[0] = type;
  v.setUint16(1, a);
  v.setUint16(3, b);
  return out;
}

function malformed(reason: string): { ok: false; error: DecodeError } {
  return { ok: false, error: { closeCode: CloseCode.MALFORMED_FRAME, reason } };
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(dec.decode(bytes));
  } catch {
    return undefined;
  }
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function validSize(cols: unknown, rows: unknown): boolean {
  return (
    typeof cols === "number" &&
    Number.isInteger(cols) &&
    cols >= MIN_COLS &&
    cols <= MAX_COLS &&
    typeof rows === "number" &&
    Number.isInteger(rows) &&
    rows >= MIN_ROWS &&
    rows <= MAX_ROWS
  );
}

/** Terminal ids the runner hands out; anything else is refused before any lookup. */
export { TERMINAL_ID_RE };

// ---------- client → runner ----------

export function encodeClientFrame(f: ClientFrame): Uint8Array {
  switch (f.type) {
    case "hello":
      return withType(ClientType.HELLO, enc.encode(JSON.stringify(f.hello)));
    case "input":
      return withType(ClientType.INPUT, f.data);
    case "resize":
      return u16pair(ClientType.RESIZE, f.cols, f.rows);
    case "ack": {
      const out = new Uint8Array(5);
      out[0] = ClientType.ACK;
      new DataView(out.buffer).setUint32(1, f.bytes >>> 0);
      return out;
    }
    case "ping":
      return withType(ClientType.PING, f.data);
    case "close":
      return Uint8Array.of(ClientType.CLOSE);
  }
}

export function decodeClientFrame(buf: Uint8Array): Decoded<ClientFrame> {
  if (buf.length > MAX_CLIENT_FRAME_BYTES) {
    return {
      ok: false,
      error: { closeCode: CloseCode.FRAME_TOO_LARGE, reason: `frame of ${buf.length} bytes exceeds ${MAX_CLIENT_FRAME_BYTES}` },
    };
  }
  if (buf.length === 0) return malformed("empty frame");
  const type = buf[0];
  const body = buf.subarray(1);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  switch (type) {
    case ClientType.HELLO: {
      if (body.length > MAX_HELLO_JSON_BYTES) return malformed("HELLO too long");
      const j = parseJson(body);
      if (!isObj(j)) return malformed("HELLO is not a JSON object");
      if (j.v !== PROTOCOL_VERSION) return malformed(`unsupported protocol version ${String(j.v)}, expected ${PROTOCOL_VERSION}`);
      if (typeof j.token !== "string" || j.token.length === 0) return malformed("HELLO.token must be a non-empty string");
      if (j.terminal !== undefined && (typeof j.terminal !== "string" || !TERMINAL_ID_RE.test(j.terminal))) {
        return malformed("HELLO.terminal is not a valid terminal id");
      }
      if (!validSize(j.cols, j.rows))
        return malformed(`HELLO.cols/rows must be integers in ${MIN_COLS}..${MAX_COLS} × ${MIN_ROWS}..${MAX_ROWS}`);
      const hello: Hello = { v: j.v, token: j.token, cols: j.cols as number, rows: j.rows as number };
      if (typeof j.terminal === "string") hello.terminal = j.terminal;
      return { ok: true, frame: { type: "hello", hello } };
    }
    case ClientType.INPUT:
      if (body.length === 0) return malformed("empty INPUT");
      return { ok: true, frame: { type: "input", data: body } };
    case ClientType.RESIZE: {
      if (body.length !== 4) return malformed("RESIZE must carry exactly 4 bytes");
      const cols = view.getUint16(0);
      const rows = view.getUint16(2);
      if (!validSize(cols, rows)) return malformed(`RESIZE ${cols}x${rows} out of range`);
      return { ok: true, frame: { type: "resize", cols, rows } };
    }
    case ClientType.ACK:
      if (body.length !== 4) return malformed("ACK must carry exactly 4 bytes");
      return { ok: true, frame: { type: "ack", bytes: view.getUint32(0) } };
    case ClientType.PING:
      if (body.length > MAX_PING_BYTES) return malformed(`PING payload over ${MAX_PING_BYTES} bytes`);
      return { ok: true, frame: { type: "ping", data: body } };
    case ClientType.CLOSE:
      if (body.length !== 0) return malformed("CLOSE carries no payload");
      return { ok: true, frame: { type: "close" } };
    default:
      return malformed(`unknown frame type 0x${(type ?? 0).toString(16).padStart(2, "0")}`);
  }
}

// ---------- runner → client ----------

export function encodeServerFrame(f: ServerFrame): Uint8Array {
  switch (f.type) {
    case "attached":
      return withType(ServerType.ATTACHED, enc.encode(JSON.stringify(f.attached)));
    case "output":
      return withType(ServerType.OUTPUT, f.data);
    case "snapshot":
      return withType(ServerType.SNAPSHOT, enc.encode(f.data));
    case "event":
      return withType(ServerType.EVENT, enc.encode(JSON.stringify(f.event)));
    case "exit": {
      const out = new Uint8Array(9);
      const v = new DataView(out.buffer);
      out[0] = ServerType.EXIT;
      v.setInt32(1, f.exitCode | 0);
      v.setInt32(5, f.signal | 0);
      return out;
    }
    case "error":
      return withType(ServerType.ERROR, enc.encode(JSON.stringify(f.error)));
    case "pong":
      return withType(ServerType.PONG, f.data);
  }
}

/** Used by the browser client; as strict as the server's decoder (a confused runner must not crash the page). */
export function decodeServerFrame(buf: Uint8Array): Decoded<ServerFrame> {
  if (buf.length === 0) return malformed("empty frame");
  const type = buf[0];
  const body = buf.subarray(1);
  switch (type) {
    case ServerType.ATTACHED: {
      const j = parseJson(body);
      if (
        !isObj(j) ||
        typeof j.terminal !== "string" ||
        typeof j.sandbox !== "string" ||
        (j.role !== "learner" && j.role !== "observer") ||
        !validSize(j.cols, j.rows)
      ) {
        return malformed("bad ATTACHED");
      }
      return {
        ok: true,
        frame: {
          type: "attached",
          attached: { terminal: j.terminal, sandbox: j.sandbox, role: j.role, cols: j.cols as number, rows: j.rows as number },
        },
      };
    }
    case ServerType.OUTPUT:
      return { ok: true, frame: { type: "output", data: body } };
    case ServerType.SNAPSHOT: {
      try {
        return { ok: true, frame: { type: "snapshot", data: dec.decode(body) } };
      } catch {
        return malformed("SNAPSHOT is not UTF-8");
      }
    }
    case ServerType.EVENT: {
      const j = parseJson(body);
      if (!isObj(j) || typeof j.type !== "string") return malformed("bad EVENT");
      return { ok: true, frame: { type: "event", event: j as TerminalEvent } };
    }
    case ServerType.EXIT: {
      if (body.length !== 8) return malformed("EXIT must carry 8 bytes");
      const v = new DataView(body.buffer, body.byteOffset, body.byteLength);
      return { ok: true, frame: { type: "exit", exitCode: v.getInt32(0), signal: v.getInt32(4) } };
    }
    case ServerType.ERROR: {
      const j = parseJson(body);
      if (!isObj(j) || typeof j.code !== "string" || typeof j.message !== "string") return malformed("bad ERROR");
      return { ok: true, frame: { type: "error", error: { code: j.code, message: j.message } } };
    }
    case ServerType.PONG:
      return { ok: true, frame: { type: "pong", data: body } };
    default:
      return malformed(`unknown frame type 0x${(type ?? 0).toString(16).padStart(2, "0")}`);
  }
}

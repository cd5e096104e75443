/**
 * Browser side of the Terminal protocol (browser-safe: no Node APIs). The React terminal component
 * creates one per tab: it hands output to xterm, acknowledges it once xterm has written it (flow
 * control), and reconnects with backoff to the same Terminal, which answers with a SNAPSHOT of the
 * screen — so the component resets xterm and writes the snapshot, and nothing is lost or doubled.
 */
import { AckBatcher } from "./ack";
import {
  CloseCode,
  FATAL_CLOSE_CODES,
  MAX_CLIENT_FRAME_BYTES,
  helloFrame,
  decodeServerFrame,
  encodeClientFrame,
  type Attached,
  type ClientFrame,
  type TerminalEvent,
} from "./protocol";

export type TerminalStatus =
  | { state: "connecting"; attempt: number }
  | { state: "attached"; attached: Attached }
  | { state: "reconnecting"; attempt: number; inMs: number; code: number; reason: string }
  | { state: "exited"; exitCode: number; signal: number }
  | { state: "closed"; code: number; reason: string };

/** The subset of the WebSocket API used (the browser's, or `ws` in Node tests). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}
export type WebSocketFactory = (url: string) => WebSocketLike;

export interface TerminalClientOptions {
  /** ws(s)://runner/v1/terminals */
  url: string;
  /** A fresh short-lived token per connection (tokens expire in about a minute). */
  getToken: () => string | Promise<string>;
  /** Existing Terminal to attach to; omit to open a new one (learners). */
  terminal?: string;
  cols: number;
  rows: number;
  /** Output bytes; call `done` once xterm has written them (`term.write(data, done)`). */
  onOutput: (data: Uint8Array, done: () => void) => void;
  /** Screen state on (re)attach: reset xterm, size it to cols×rows, write `data`. */
  onSnapshot: (data: string, size: { cols: number; rows: number }) => void;
  onEvent?: (e: TerminalEvent) => void;
  onStatus?: (s: TerminalStatus) => void;
  onError?: (e: { code: string; message: string }) => void;
  /** Defaults to the browser's WebSocket. */
  webSocket?: WebSocketFactory;
  backoff?: { initialMs: number; maxMs: number; maxAttempts: number };
  ackEveryBytes?: number;
}

const OPEN = 1;

export class TerminalClient {
  private ws: WebSocketLike | null = null;
  private terminalId: string | undefined;
  private cols: number;
  private rows: number;
  private attempt = 0;
  private stopped = false;
  private attached = false;
  private generation = 0;
  private lastAttached: Attached | null = null;
  private acks: AckBatcher;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly backoff: { initialMs: number; maxMs: number; maxAttempts: number };

  constructor(private readonly o: TerminalClientOptions) {
    this.terminalId = o.terminal;
    this.cols = o.cols;
    this.rows = o.rows;
    this.backoff = o.backoff ?? { initialMs: 500, maxMs: 10_000, maxAttempts: 20 };
    this.acks = new AckBatcher(o.ackEveryBytes ?? 16 * 1024);
  }

  /** The Terminal id once attached (keep it to reattach after a page reload). */
  get terminal(): string | undefined {
    return this.terminalId;
  }
  get isAttached(): boolean {
    return this.attached;
  }

  connect(): void {
    this.stopped = false;
    void this.open();
  }

  sendInput(data: string | Uint8Array): boolean {
    if (!this.attached) return false;
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    const max = MAX_CLIENT_FRAME_BYTES - 1;
    for (let off = 0; off < bytes.length; off += max) this.send({ type: "input", data: bytes.subarray(off, off + max) });
    return true;
  }

  resize(cols: number, rows: number): void {
    this.cols = cols;
    this.rows = rows;
    if (this.attached) this.send({ type: "resize", cols, rows });
  }

  /**
   * Ends the Terminal itself, not just this connection (the learner closed its tab): the runner
   * hangs its shell up, so a closed tab leaves no shell behind and frees its slot in the sandbox.
   */
  end(): void {
    this.send({ type: "close" });
    this.close();
  }

  close(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.ws?.close(CloseCode.NORMAL, "closed by the page");
    this.ws = null;
    this.attached = false;
  }

  // ---------- internals ----------

  private send(f: ClientFrame): void {
    if (this.ws && this.ws.readyState === OPEN) this.ws.send(encodeClientFrame(f));
  }

  private async open(): Promise<void> {
    const gen = ++this.generation;
    this.o.onStatus?.({ state: "connecting", attempt: this.attempt });
    let token: string;
    try {
      token = await this.o.getToken();
    } catch {
      return this.retry(gen, CloseCode.BAD_TOKEN, "could not get a token from the app");
    }
    if (this.stopped || gen !== this.generation) return;
    const factory: WebSocketFactory = this.o.webSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
    const ws = factory(this.o.url);
    this.ws = ws;
    ws.binaryType = "arraybuffer";
    this.acks = new AckBatcher(this.o.ackEveryBytes ?? 16 * 1024); // the server counts per connection
    ws.onopen = () => {
      ws.send(encodeClientFrame(helloFrame({ token, cols: this.cols, rows: this.rows, terminal: this.terminalId })));
    };
    ws.onmessage = (ev) => {
      if (gen !== this.generation) return;
      const data = ev.data instanceof ArrayBuffer ? new Uint8Array(ev.data) : ev.data instanceof Uint8Array ? ev.data : null;
      if (!data) return;
      this.onFrame(gen, data);
    };
    ws.onerror = () => {
      /* onclose follows with the code */
    };
    ws.onclose = (ev) => {
      if (gen !== this.generation) return;
      this.attached = false;
      this.ws = null;
      if (this.stopped) return;
      if (ev.code === CloseCode.NORMAL || FATAL_CLOSE_CODES.has(ev.code)) {
        this.stopped = true;
        this.o.onStatus?.({ state: "closed", code: ev.code, reason: ev.reason });
        return;
      }
      this.retry(gen, ev.code, ev.reason);
    };
  }

  private onFrame(gen: number, bytes: Uint8Array): void {
    const d = decodeServerFrame(bytes);
    if (!d.ok) return; // a frame we cannot read is skipped, not fatal for the page
    const f = d.frame;
    switch (f.type) {
      case "attached":
        this.terminalId = f.attached.terminal;
        this.lastAttached = f.attached;
        this.cols = f.attached.cols;
        this.rows = f.attached.rows;
        this.attempt = 0;
        return;
      case "snapshot": {
        this.attached = true;
        // ATTACHED always precedes SNAPSHOT; its size is the Terminal's size.
        this.o.onSnapshot(f.data, { cols: this.cols, rows: this.rows });
        if (this.lastAttached) this.o.onStatus?.({ state: "attached", attached: this.lastAttached });
        return;
      }
      case "output": {
        const n = f.data.length;
        this.o.onOutput(f.data, () => {
          if (gen !== this.generation) return;
          const now = this.acks.written(n);
          if (now > 0) this.send({ type: "ack", bytes: now });
          else this.armAckTimer(gen);
        });
        return;
      }
      case "event":
        if (f.event.type === "resize") {
          this.cols = f.event.cols;
          this.rows = f.event.rows;
        }
        this.o.onEvent?.(f.event);
        return;
      case "exit":
        this.stopped = true;
        this.o.onStatus?.({ state: "exited", exitCode: f.exitCode, signal: f.signal });
        return;
      case "error":
        this.o.onError?.(f.error);
        return;
      case "pong":
        return;
    }
  }

  /** Leftover bytes below the batch size are acknowledged once the stream goes quiet. */
  private armAckTimer(gen: number): void {
    if (this.ackTimer) return;
    this.ackTimer = setTimeout(() => {
      this.ackTimer = null;
      if (gen !== this.generation) return;
      const n = this.acks.flush();
      if (n > 0) this.send({ type: "ack", bytes: n });
    }, 50);
  }

  private retry(gen: number, code: number, reason: string): void {
    if (gen !== this.generation || this.stopped) return;
    if (this.attempt >= this.backoff.maxAttempts) {
      this.stopped = true;
      this.o.onStatus?.({ state: "closed", code, reason: `gave up after ${this.attempt} attempts: ${reason}` });
      return;
    }
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** this.attempt);
    const inMs = Math.round(base / 2 + Math.random() * (base / 2));
    this.attempt++;
    this.o.onStatus?.({ state: "reconnecting", attempt: this.attempt, inMs, code, reason });
    this.retryTimer = setTimeout(() => void this.open(), inMs);
  }
}

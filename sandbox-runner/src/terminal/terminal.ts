import { StringDecoder } from "node:string_decoder";
import { DEFAULT_FLOW, FlowGate, type FlowDecision, type FlowLimits } from "./flow";
import { encodeServerFrame, CloseCode, MAX_CLIENT_FRAME_BYTES, type TerminalEvent } from "../../../contract/protocol";
import type { Recorder } from "./recorder";
import { Screen } from "./screen";
import { ShellMarkParser } from "./shell-marks";
import { PromptSettle } from "./prompt-settle";

/**
 * What a Terminal needs of a PTY: the sandbox's (ContainerPty, which hands out raw bytes) or, in
 * tests, a host bash under node-pty (which hands out strings).
 */
export interface PtyLike {
  readonly pid: number;
  onData(listener: (data: string | Buffer) => void): { dispose(): void };
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  /** False: the input was dropped (the shell is not reading and its backlog is full); node-pty's returns nothing. */
  write(data: string | Buffer): boolean | void;
  resize(cols: number, rows: number): void;
  pause(): void;
  resume(): void;
  kill(signal?: string): void;
}

/** One attached WebSocket, seen from the Terminal (no ws types here). */
export interface ClientSink {
  readonly id: string;
  readonly role: "learner" | "observer";
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

export interface TerminalOptions {
  id: string;
  sandboxId: string;
  pty: PtyLike;
  cols: number;
  rows: number;
  recorder?: Recorder;
  scrollback?: number;
  flow?: FlowLimits;
  /** A learner above high water for this long is dropped (4409) so the others and the PTY go on. */
  slowConsumerMs?: number;
  /** Any client this far behind is dropped at once (observers do not pause the PTY, so they need a bound). */
  hardLimitBytes?: number;
  onActivity?: () => void;
  onOutputBytes?: (n: number) => void;
  /**
   * A learner's keystrokes → the first output sent back to them after it (their echo, through the
   * sandbox's shell), in seconds: the runner's part of what the learner feels as typing latency.
   */
  onRelay?: (seconds: number) => void;
  onPauseChange?: (paused: boolean) => void;
  /** How to close clients when the shell ends: normally, or 4004 when its sandbox is going away. */
  exitClose?: () => { code: number; reason: string };
  /** Quiet time after Enter before a prompt-like line counts as a finished command (shells without marks). */
  settleMs?: number;
}

interface Attachment {
  sink: ClientSink;
  joining: boolean;
  queue: Uint8Array[];
  queuedBytes: number;
  scheduled: boolean;
  /** When this client's queue was last sent (performance.now()). */
  lastFlush: number;
  /** When this learner typed and has not been sent output since (performance.now()), for onRelay. */
  inputAt?: number;
}

/**
 * Output sent less than this long after the previous frame waits for the rest of the window, so a
 * flood (`cat` of a big file: a PTY read is ~1 KiB) goes out as a few large frames instead of
 * thousands of small ones, each a syscall here and a message to decode in the browser. A keystroke's
 * echo comes long after the previous frame and goes at once.
 */
const COALESCE_MS = 2;

const SCREEN = "\0screen";

/**
 * Quiet output after Enter that ends on a prompt-like line counts as a finished command in shells
 * without marks (busybox `sh` in a chroot): long enough for a command's output to arrive in one
 * burst, short enough that the page's Checks still follow the prompt closely.
 */
const SETTLE_MS = 250;
const OUTPUT_FRAME_MAX = MAX_CLIENT_FRAME_BYTES; // same bound both ways keeps clients' buffers small

/**
 * A Terminal: one PTY inside the sandbox, its screen mirror, its recording and the clients
 * attached to it (learners who type, observers who only watch). Output fans out to every client;
 * the PTY is paused while a learner or the screen mirror is behind (flow control), so a `yes` in
 * the sandbox cannot grow the runner's memory. Programs keep running with nobody attached.
 */
export class Terminal {
  readonly id: string;
  readonly sandboxId: string;
  readonly createdAt = Date.now();
  private readonly pty: PtyLike;
  private readonly screen: Screen;
  private readonly marks = new ShellMarkParser();
  private readonly settle: PromptSettle;
  /** UTF-8 text for the recording, whole characters only (a PTY read may end inside one). */
  private readonly decoder = new StringDecoder("utf8");
  private readonly gate: FlowGate;
  private readonly clients = new Map<string, Attachment>();
  private readonly watchdog: NodeJS.Timeout;
  private cols: number;
  private rows: number;
  private exitInfo: { exitCode: number; signal: number } | null = null;
  private readonly exitListeners: ((e: { exitCode: number; signal: number }) => void)[] = [];
  /** Times the PTY was paused by flow control (tests and metrics read it). */
  pauseCount = 0;

  constructor(private readonly opts: TerminalOptions) {
    this.id = opts.id;
    this.sandboxId = opts.sandboxId;
    this.pty = opts.pty;
    this.cols = opts.cols;
    this.rows = opts.rows;
    this.screen = new Screen(opts.cols, opts.rows, opts.scrollback ?? 5000);
    this.gate = new FlowGate(opts.flow ?? DEFAULT_FLOW);
    this.gate.add(SCREEN, true);
    this.settle = new PromptSettle(opts.settleMs ?? SETTLE_MS, () => this.broadcastEvent({ type: "command-finished", exitCode: null }));
    if (opts.recorder) opts.recorder.onCapped = () => this.broadcastEvent({ type: "recording-truncated" });
    this.pty.onData((d) => this.onPtyData(d));

    this.pty.onExit((e) => this.onPtyExit(e.exitCode, e.signal ?? 0));
    const slowMs = opts.slowConsumerMs ?? 60_000;
    this.watchdog = setInterval(
      () => {
        for (const id of this.gate.stuck(Date.now() - slowMs))
          this.drop(id, CloseCode.SLOW_CONSUMER, "client stopped acknowledging output");
      },
      Math.min(1000, slowMs),
    ).unref();
  }

  get size(): { cols: number; rows: number } {
    return { cols: this.cols, rows: this.rows };
  }
  get exited(): boolean {
    return this.exitInfo !== null;
  }
  get paused(): boolean {
    return this.gate.isPaused;
  }
  get clientCount(): number {
    return this.clients.size;
  }

  onExit(listener: (e: { exitCode: number; signal: number }) => void): void {
    if (this.exitInfo) listener(this.exitInfo);
    else this.exitListeners.push(listener);
  }

  /**
   * Attaches a client: ATTACHED, then SNAPSHOT (the screen up to this instant), then every later
   * byte — nothing lost, nothing twice. The client is subscribed synchronously here, so output that
   * arrives while the snapshot is being taken queues behind it; the PTY is held paused meanwhile so
   * that queue stays short.
   */
  attach(sink: ClientSink): void {
    if (this.exitInfo) {
      sink.send(encodeServerFrame({ type: "exit", ...this.exitInfo }));
      sink.close(CloseCode.NORMAL, "terminal exited");
      return;
    }
    const a: Attachment = { sink, joining: true, queue: [], queuedBytes: 0, scheduled: false, lastFlush: 0 };
    this.clients.set(sink.id, a);
    this.apply(this.gate.add(sink.id, sink.role === "learner"));
    const hold = `attach:${sink.id}`;
    this.apply(this.gate.hold(hold));
    this.screen.snapshot((serialized, size) => {
      this.apply(this.gate.release(hold));
      if (this.clients.get(sink.id) !== a) return; // left while we were busy
      sink.send(
        encodeServerFrame({
          type: "attached",
          attached: { terminal: this.id, sandbox: this.sandboxId, role: sink.role, cols: size.cols, rows: size.rows },
        }),
      );
      sink.send(encodeServerFrame({ type: "snapshot", data: serialized }));
      a.joining = false;
      this.schedule(a);
    });
  }

  detach(clientId: string): void {
    if (!this.clients.delete(clientId)) return;
    this.apply(this.gate.remove(clientId));
    this.apply(this.gate.release(`attach:${clientId}`));
  }

  /** Keystrokes from a client; observers are refused here as well as in the server. */
  input(clientId: string, data: Uint8Array): boolean {
    const a = this.clients.get(clientId);
    if (!a || a.sink.role !== "learner" || this.exitInfo) return false;
    if (this.pty.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength)) === false)
      a.sink.send(
        encodeServerFrame({
          type: "error",
          error: {
            code: "input-dropped",
            message:
              "the shell is not reading its input and 1 MiB is already waiting for it: these keys were dropped. Wait for the running command to finish, or close this terminal",
          },
        }),
      );
    a.inputAt ??= performance.now();
    this.settle.input(data);
    this.opts.onActivity?.();
    return true;
  }

  resize(clientId: string, cols: number, rows: number): boolean {
    const a = this.clients.get(clientId);
    if (!a || a.sink.role !== "learner" || this.exitInfo) return false;
    this.resizeTo(cols, rows);
    return true;
  }

  resizeTo(cols: number, rows: number): void {
    if (cols === this.cols && rows === this.rows) return;
    this.cols = cols;
    this.rows = rows;
    this.pty.resize(cols, rows);
    this.screen.resize(cols, rows);
    this.opts.recorder?.resize(cols, rows);
    this.broadcastEvent({ type: "resize", cols, rows });
  }

  ack(clientId: string, bytes: number): void {
    this.apply(this.gate.acked(clientId, bytes));
  }

  kill(signal = "SIGHUP"): void {
    if (this.exitInfo) return;
    // A paused PTY would never see EOF: resume so the exit can be observed.
    this.pty.resume();
    try {
      this.pty.kill(signal);
    } catch {
      /* already gone */
    }
  }

  /** Closes every client with `code` (e.g. sandbox gone, shutdown) and kills the PTY. */
  closeAll(code: number, reason: string): void {
    for (const id of [...this.clients.keys()]) this.drop(id, code, reason);
    this.kill();
  }

  screenText(): string {
    return this.screen.text();
  }

  // ---------- internals ----------

  private onPtyData(data: string | Buffer): void {
    // Raw bytes go to the clients and the screen as they came; text is made only where needed.
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    const n = bytes.length;
    this.opts.onOutputBytes?.(n);
    this.screen.write(bytes, n, (done) => this.apply(this.gate.acked(SCREEN, done)));
    this.apply(this.gate.sent(SCREEN, n));
    const rec = this.opts.recorder;
    if (rec && !rec.isCapped) rec.output(typeof data === "string" ? data : this.decoder.write(bytes));
    const now = Date.now();
    for (const a of this.clients.values()) {
      a.queue.push(bytes);
      a.queuedBytes += n;
      this.apply(this.gate.sent(a.sink.id, n, now));
      if (this.gate.unacked(a.sink.id) > (this.opts.hardLimitBytes ?? 4 * 1024 * 1024)) {
        this.drop(a.sink.id, CloseCode.SLOW_CONSUMER, "client fell too far behind");
        continue;
      }
      this.schedule(a);
    }
    // Only the end of a chunk can hold the prompt the settle rule looks for.
    if (this.settle.waiting) this.settle.output(bytes.subarray(Math.max(0, n - 256)).toString("latin1"));
    // Marks are ASCII escape sequences: a chunk without ESC cannot hold (the rest of) one.
    if (this.marks.idle && !bytes.includes(0x1b)) return;
    for (const m of this.marks.push(typeof data === "string" ? data : bytes.toString("latin1"))) {
      this.settle.mark();
      this.broadcastEvent(m);
    }
  }

  private broadcastEvent(event: TerminalEvent): void {
    const frame = encodeServerFrame({ type: "event", event });
    for (const a of this.clients.values()) {
      // Events travel in the same queue as output so they stay in order with it.
      a.queue.push(frame);
      this.schedule(a);
    }
  }

  /** Output is coalesced: per event-loop turn, and within COALESCE_MS of the previous frame. */
  private schedule(a: Attachment): void {
    if (a.joining || a.scheduled) return;
    a.scheduled = true;
    const run = () => {
      a.scheduled = false;
      if (this.clients.get(a.sink.id) === a) this.flush(a);
    };
    const wait = a.lastFlush + COALESCE_MS - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  }

  private flush(a: Attachment): void {
    a.lastFlush = performance.now();
    const items = a.queue;
    a.queue = [];
    a.queuedBytes = 0;
    let run: Uint8Array[] = [];
    let runBytes = 0;
    const sendRun = () => {
      if (runBytes === 0) return;
      if (a.inputAt !== undefined) {
        this.opts.onRelay?.((a.lastFlush - a.inputAt) / 1000);
        a.inputAt = undefined;
      }
      const joined = Buffer.concat(run, runBytes);
      for (let off = 0; off < joined.length; off += OUTPUT_FRAME_MAX) {
        a.sink.send(encodeServerFrame({ type: "output", data: joined.subarray(off, off + OUTPUT_FRAME_MAX) }));
      }
      run = [];
      runBytes = 0;
    };
    for (const item of items) {
      // Raw output chunks are Buffers; pre-encoded frames (events) are plain Uint8Arrays.
      if (Buffer.isBuffer(item)) {
        run.push(item);
        runBytes += item.length;
      } else {
        sendRun();
        a.sink.send(item);
      }
    }
    sendRun();
  }

  private drop(clientId: string, code: number, reason: string): void {
    const a = this.clients.get(clientId);
    if (!a) return;
    this.detach(clientId);
    a.sink.close(code, reason);
  }

  private apply(d: FlowDecision): void {
    if (d === "pause") {
      this.pauseCount++;
      this.pty.pause();
      this.opts.onPauseChange?.(true);
    } else if (d === "resume") {
      this.pty.resume();
      this.opts.onPauseChange?.(false);
    }
  }

  private onPtyExit(exitCode: number, signal: number): void {
    if (this.exitInfo) return;
    this.exitInfo = { exitCode, signal };
    clearInterval(this.watchdog);
    this.settle.dispose();
    const frame = encodeServerFrame({ type: "exit", exitCode, signal });
    const how = this.opts.exitClose?.() ?? { code: CloseCode.NORMAL, reason: "terminal exited" };
    for (const a of [...this.clients.values()]) {
      if (!a.joining) this.flush(a);
      a.sink.send(frame);
      a.sink.close(how.code, how.reason);
    }
    this.clients.clear();
    void this.opts.recorder?.close();
    this.screen.dispose();
    for (const l of this.exitListeners.splice(0)) l(this.exitInfo);
  }
}

/**
 * The master end of a PTY that lives in the sandbox (runc created it in the container's devpts and
 * sent it over the console socket), held directly by the runner: output is read from it, keystrokes
 * written to it, TIOCSWINSZ set on it. Nothing relays between the browser's bytes and the shell's
 * terminal but this file descriptor.
 */
import { closeSync, writeSync } from "node:fs";
import * as tty from "node:tty";
import * as pty from "node-pty";
import { ExitMarkScanner } from "./exit-mark";
import { isNonBlocking } from "./nonblocking";
import type { PtyLike } from "./terminal";

/**
 * node-pty's native module sets the window size on any PTY fd. It is exported as `native` but not
 * documented (node-pty is pinned in package.json); checked once here so a change fails loudly.
 */
const native = (pty as unknown as { native?: { resize?(fd: number, cols: number, rows: number): void } }).native;
function setWindowSize(fd: number, cols: number, rows: number): void {
  if (typeof native?.resize !== "function") throw new Error("node-pty's native resize() is missing: check the pinned node-pty version");
  native.resize(fd, cols, rows);
}

/**
 * Keystrokes the shell has not taken yet (it is busy, or not reading at all) wait here, up to this
 * much beyond what the kernel's tty buffers hold: a big paste into a slow reader arrives whole
 * (300 KB into `cat | tee`, tested); more is dropped and the learner told. Not a pause of the
 * learner's socket: that would also stop their output acknowledgements, and a shell echoing the
 * paste would then wait on its output forever.
 */
export const INPUT_BACKLOG_MAX = 1024 * 1024;
/** How soon a PTY that was full is tried again (a timer, not a busy loop). */
const INPUT_RETRY_MS = 20;

/** 128 + SIGHUP, as a shell reports a process ended by a hangup. */
export const HANGUP_STATUS = 129;

export class ContainerPty implements PtyLike {
  /** The runner does not know the shell's host pid (runc exited after starting it). */
  readonly pid = -1;
  private readonly stream: tty.ReadStream;
  private readonly scanner = new ExitMarkScanner();
  private readonly dataListeners: ((d: Buffer) => void)[] = [];
  private readonly exitListeners: ((e: { exitCode: number; signal?: number }) => void)[] = [];
  private exitInfo: { exitCode: number; signal?: number } | null = null;
  private closed = false;
  /** Input the PTY had no room for yet, in order. */
  private backlog: Buffer[] = [];
  private backlogBytes = 0;
  private retry?: NodeJS.Timeout;
  /** Input bytes dropped past INPUT_BACKLOG_MAX. */
  droppedInput = 0;

  constructor(
    private readonly fd: number,
    size: { cols: number; rows: number },
  ) {
    // Writes go straight to the fd and must never block the runner (nonblocking.ts).
    if (!isNonBlocking(fd)) throw new Error("the PTY master must be non-blocking (receivePtyMaster makes it so)");
    setWindowSize(fd, size.cols, size.rows);
    // A tty.ReadStream is a net.Socket on libuv's tty handle: non-blocking reads and writes on the fd.
    this.stream = new tty.ReadStream(fd);
    this.stream.on("data", (d: Buffer) => this.onChunk(d));
    // EIO: every process that had the PTY open has closed it.
    this.stream.on("error", () => this.end({ exitCode: 0 }));
    this.stream.on("close", () => this.end({ exitCode: 0 }));
  }

  private onChunk(d: Buffer): void {
    // The mark starts with ESC: output without one (most of a flood) passes as it came.
    if (!this.scanner.holding && !d.includes(0x1b)) {
      for (const l of this.dataListeners) l(d);
      return;
    }
    // latin1 maps bytes to characters one to one, so the scan cannot split or alter a UTF-8 sequence.
    const r = this.scanner.push(d.toString("latin1"));
    if (r.output) {
      const out = Buffer.from(r.output, "latin1");
      for (const l of this.dataListeners) l(out);
    }
    if (r.exitCode !== undefined) this.end({ exitCode: r.exitCode });
  }

  private end(info: { exitCode: number; signal?: number }): void {
    if (this.exitInfo) return;
    const held = this.scanner.flush();
    if (held) for (const l of this.dataListeners) l(Buffer.from(held, "latin1"));
    this.exitInfo = info;
    // The shell is gone: hang the PTY up, so what it left in the background gets SIGHUP like on a
    // real terminal, and the fd is freed.
    this.close();
    for (const l of this.exitListeners.splice(0)) l(info);
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.retry);
    this.backlog = [];
    this.backlogBytes = 0;
    this.stream.destroy();
  }

  onData(listener: (data: Buffer) => void): { dispose(): void } {
    this.dataListeners.push(listener);
    return { dispose: () => void this.dataListeners.splice(this.dataListeners.indexOf(listener) >>> 0, 1) };
  }

  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void } {
    if (this.exitInfo) {
      const info = this.exitInfo;
      queueMicrotask(() => listener(info));
      return { dispose: () => undefined };
    }
    this.exitListeners.push(listener);
    return { dispose: () => void this.exitListeners.splice(this.exitListeners.indexOf(listener) >>> 0, 1) };
  }

  /**
   * Not through the tty stream: libuv writes a PTY master as a blocking stream (it would spin on a
   * full one). A write takes what the kernel has room for; the rest waits in the backlog. False: the
   * backlog was full and `data` was dropped.
   */
  write(data: string | Buffer): boolean {
    if (this.closed) return true;
    const b = typeof data === "string" ? Buffer.from(data) : data;
    if (b.length === 0) return true;
    if (this.backlogBytes + b.length > INPUT_BACKLOG_MAX) {
      this.droppedInput += b.length;
      return false;
    }
    this.backlog.push(b);
    this.backlogBytes += b.length;
    if (!this.retry) this.drain();
    return true;
  }

  private drain(): void {
    this.retry = undefined;
    while (this.backlog.length > 0 && !this.closed) {
      const b = this.backlog[0]!;
      let n: number;
      try {
        n = writeSync(this.fd, b);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "EAGAIN") break;
        // EIO: the shell is gone (the read side ends the Terminal); its input goes nowhere.
        this.backlog = [];
        this.backlogBytes = 0;
        return;
      }
      this.backlogBytes -= n;
      if (n < b.length) {
        this.backlog[0] = b.subarray(n);
        break;
      }
      this.backlog.shift();
    }
    if (this.backlog.length > 0 && !this.closed) this.retry = setTimeout(() => this.drain(), INPUT_RETRY_MS);
  }

  resize(cols: number, rows: number): void {
    if (!this.closed) setWindowSize(this.fd, cols, rows);
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  /** Hangs the terminal up: closing the master sends SIGHUP to the shell's session, as a real terminal does. */
  kill(signal?: string): void {
    void signal;
    this.end({ exitCode: HANGUP_STATUS, signal: 1 });
  }
}

/** Closes a master fd that never got a ContainerPty (e.g. its sandbox was destroyed meanwhile). */
export function closeMaster(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}

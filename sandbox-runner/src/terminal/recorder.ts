import fs from "node:fs";
import path from "node:path";
import { STOP_REASON } from "./recording-quota";
import { SANDBOX_ID_RE } from "../../../contract/ids";
import type { RecordingQuota } from "./recording-store";

/**
 * Records one Terminal as an asciicast v2 file (header line, then `[seconds, "o"|"r", data]` lines)
 * for replay with asciinema-player. Input is never recorded (it may hold passwords). Size-capped:
 * at the cap it writes one marker event and stops. It never blocks the PTY path: lines go to a
 * write stream, and if the disk falls behind by more than `maxBacklog` bytes, output is dropped
 * (counted) rather than buffered without bound.
 *
 * With a `quota` (the runner's caps per sandbox, per learner and in total) every line is granted
 * before it is written; a refusal ends the recording the same way as the size cap, with a marker
 * saying why, so the file stays a valid cast and the Terminal goes on unrecorded. When not even
 * the header is granted, no file is made at all.
 *
 * Output within COALESCE_MS of its first byte becomes one event: a flood arrives as ~1 KiB PTY reads,
 * and an event (JSON-encoded, written) per read cost more than the screen mirror; a player cannot
 * show 10 ms apart anyway.
 */
const COALESCE_MS = 10;
const MAX_EVENT_CHARS = 64 * 1024;
/** Bytes kept for the closing marker line (granted with the header, so a cut file always ends with it). */
const MARKER_ROOM = 128;

export interface RecorderOptions {
  file: string;
  cols: number;
  rows: number;
  maxBytes: number;
  maxBacklog?: number;
  now?: () => number;
  env?: Record<string, string>;
  quota?: RecordingQuota;
}

export class Recorder {
  private readonly stream?: fs.WriteStream;
  private readonly start: number;
  private readonly now: () => number;
  private written = 0;
  private pendingOut = "";
  private pendingAt = 0;
  private pendingTimer?: NodeJS.Timeout;
  private capped = false;
  private closed = false;
  private ended = false;
  dropped = 0;
  /** Why no file was made (the quota refused even the header), or null. */
  readonly refused: string | null = null;
  /** Why the recording was cut, once it was. */
  stopReason: string | null = null;
  onCapped?: (reason: string) => void;

  constructor(private readonly opts: RecorderOptions) {
    this.now = opts.now ?? Date.now;
    this.start = this.now();
    const header = JSON.stringify({
      version: 2,
      width: opts.cols,
      height: opts.rows,
      timestamp: Math.floor(this.start / 1000),
      env: opts.env ?? { TERM: "xterm-256color", SHELL: "/bin/bash" },
    });
    this.refused = opts.quota?.reserve(Buffer.byteLength(header) + 1 + MARKER_ROOM) ?? null;
    if (this.refused !== null) {
      this.closed = true;
      opts.quota?.finish(0);
      return;
    }
    try {
      fs.mkdirSync(path.dirname(opts.file), { recursive: true, mode: 0o700 });
    } catch (e) {
      // A failing disk must not take the terminal down: no recording, the terminal goes on.
      this.refused = `recording not made: ${(e as Error).message}`;
      this.closed = true;
      opts.quota?.finish(0);
      return;
    }
    this.stream = fs.createWriteStream(opts.file, { flags: "w", mode: 0o600 });
    // A failing disk must not take the terminal down: stop recording, keep the terminal.
    this.stream.on("error", () => {
      this.closed = true;
    });
    this.line(header);
  }

  get isCapped(): boolean {
    return this.capped;
  }
  get bytesWritten(): number {
    return this.written;
  }

  output(data: string): void {
    if (this.capped || this.closed || data === "") return;
    if (this.pendingOut === "") {
      this.pendingAt = this.now();
      this.pendingTimer = setTimeout(() => this.flushOutput(), COALESCE_MS);
      this.pendingTimer.unref();
    }
    this.pendingOut += data;
    if (this.pendingOut.length >= MAX_EVENT_CHARS) this.flushOutput();
  }

  resize(cols: number, rows: number): void {
    this.flushOutput();
    this.event("r", `${cols}x${rows}`, this.now());
  }

  private flushOutput(): void {
    clearTimeout(this.pendingTimer);
    if (this.pendingOut === "") return;
    const data = this.pendingOut;
    this.pendingOut = "";
    this.event("o", data, this.pendingAt);
  }

  private event(kind: "o" | "r", data: string, at: number): void {
    if (this.capped || this.closed) return;
    const t = Math.round(at - this.start) / 1000;
    const line = JSON.stringify([t, kind, data]);
    const bytes = Buffer.byteLength(line) + 1;
    if (this.stream!.writableLength > (this.opts.maxBacklog ?? 1024 * 1024)) {
      this.dropped += data.length;
      return;
    }
    // Leave room for the marker line so the file stays within the cap.
    const stop = this.written + bytes > this.opts.maxBytes - MARKER_ROOM ? STOP_REASON.terminal : (this.opts.quota?.reserve(bytes) ?? null);
    if (stop !== null) {
      this.capped = true;
      this.stopReason = stop;
      this.line(JSON.stringify([t, "m", stop]));
      this.onCapped?.(stop);
      return;
    }
    this.line(line);
  }

  private line(s: string): void {
    const b = Buffer.from(s + "\n");
    this.written += b.length;
    this.stream!.write(b);
  }

  close(): Promise<void> {
    if (!this.stream || this.ended) return Promise.resolve();
    this.ended = true;
    if (!this.closed) this.flushOutput();
    this.closed = true;
    if (this.stream.destroyed) {
      this.opts.quota?.finish(this.written); // the disk failed: what was counted stays counted
      return Promise.resolve();
    }
    return new Promise((resolve) =>
      this.stream!.end(() => {
        this.opts.quota?.finish(this.written);
        resolve();
      }),
    );
  }
}

/** Sandbox ids the runner accepts in paths (the manager's are hex; host-port's have a prefix). */
export { SANDBOX_ID_RE };

/** Where a Terminal's recording lives; ids are validated by the caller. */
export function recordingPath(runnerDir: string, sandboxId: string, terminalId: string): string {
  return path.join(runnerDir, "recordings", sandboxId, `${terminalId}.cast`);
}

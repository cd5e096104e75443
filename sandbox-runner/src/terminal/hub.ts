import { randomBytes } from "node:crypto";
import type { FlowLimits } from "./flow";
import { CloseCode } from "../../../contract/protocol";
import { Recorder, recordingPath } from "./recorder";
import type { RecordingStore } from "./recording-store";
import { RunnerFault } from "../../../contract/faults";
import { Terminal, type PtyLike } from "./terminal";

export interface TerminalHubOptions {
  runnerDir: string;
  maxPerSandbox: number;
  recordingMaxBytes: number;
  /** Caps per sandbox, per learner and in total, and retention; without it only the per-terminal cap holds. */
  recordings?: RecordingStore;
  /** The learner a sandbox belongs to (whose recordings cap its Terminals count toward). */
  ownerOf?: (sandboxId: string) => string | undefined;
  spawn: (sandboxId: string, size: { cols: number; rows: number }) => PtyLike | Promise<PtyLike>;
  onActivity?: (sandboxId: string) => void;
  /** False once the sandbox is stopping or gone: its shells' exits then close clients with 4004. */
  sandboxAlive?: (sandboxId: string) => boolean;
  onOutputBytes?: (n: number) => void;
  /** A learner's keystrokes → the output sent back after them (s): see TerminalOptions.onRelay. */
  onRelay?: (seconds: number) => void;
  /** Flow control paused a PTY (a client or the screen mirror fell behind). */
  onFlowPause?: () => void;
  flow?: FlowLimits;
  slowConsumerMs?: number;
  scrollback?: number;
}

export const tooManyTerminalsFault = (max: number) =>
  new RunnerFault("too-many-terminals", `this sandbox already has ${max} terminals open; close one (type exit) before opening another`);

/**
 * Every sandbox's Terminals (tabs), by id. A Terminal lives until its shell exits or its sandbox
 * goes; clients come and go without touching it.
 */
export class TerminalHub {
  private readonly bySandbox = new Map<string, Map<string, Terminal>>();
  /** Shells being started per sandbox: they count against maxPerSandbox already. */
  private readonly starting = new Map<string, number>();

  constructor(private readonly opts: TerminalHubOptions) {}

  async open(sandboxId: string, cols: number, rows: number): Promise<Terminal> {
    const pending = this.starting.get(sandboxId) ?? 0;
    if ((this.bySandbox.get(sandboxId)?.size ?? 0) + pending >= this.opts.maxPerSandbox)
      throw tooManyTerminalsFault(this.opts.maxPerSandbox);
    this.starting.set(sandboxId, pending + 1);
    let pty: PtyLike;
    try {
      pty = await this.opts.spawn(sandboxId, { cols, rows });
    } finally {
      const n = (this.starting.get(sandboxId) ?? 1) - 1;
      if (n > 0) this.starting.set(sandboxId, n);
      else this.starting.delete(sandboxId);
    }
    // Re-read: the sandbox may have been closed while its shell started.
    const terms = this.bySandbox.get(sandboxId) ?? new Map<string, Terminal>();
    const id = `t-${randomBytes(6).toString("hex")}`;
    const store = this.opts.recordings;
    // The start scan must be done before the first grant (it knows what earlier runs recorded).
    if (store) await store.ready.catch(() => undefined);
    const made = new Recorder({
      file: recordingPath(this.opts.runnerDir, sandboxId, id),
      cols,
      rows,
      maxBytes: this.opts.recordingMaxBytes,
      quota: store?.begin(sandboxId, id, this.opts.ownerOf?.(sandboxId) ?? ""),
    });
    // Over a cap already: this Terminal works as any other, unrecorded.
    const recorder = made.refused === null ? made : undefined;
    const t = new Terminal({
      id,
      sandboxId,
      pty,
      cols,
      rows,
      recorder,
      flow: this.opts.flow,
      slowConsumerMs: this.opts.slowConsumerMs,
      scrollback: this.opts.scrollback,
      onActivity: () => this.opts.onActivity?.(sandboxId),
      onOutputBytes: this.opts.onOutputBytes,
      onRelay: this.opts.onRelay,
      onPauseChange: (paused) => {
        if (paused) this.opts.onFlowPause?.();
      },
      exitClose: () =>
        this.opts.sandboxAlive && !this.opts.sandboxAlive(sandboxId)
          ? { code: CloseCode.SANDBOX_GONE, reason: "the sandbox was destroyed" }
          : { code: CloseCode.NORMAL, reason: "terminal exited" },
    });
    terms.set(id, t);
    this.bySandbox.set(sandboxId, terms);
    t.onExit(() => {
      terms.delete(id);
      if (terms.size === 0 && this.bySandbox.get(sandboxId) === terms) this.bySandbox.delete(sandboxId);
    });
    return t;
  }

  get(sandboxId: string, terminalId: string): Terminal | undefined {
    return this.bySandbox.get(sandboxId)?.get(terminalId);
  }

  list(sandboxId: string): Terminal[] {
    return [...(this.bySandbox.get(sandboxId)?.values() ?? [])];
  }

  count(): number {
    let n = 0;
    for (const m of this.bySandbox.values()) n += m.size;
    return n;
  }

  /** The sandbox is gone (or going): close its clients with `code` and kill its shells. */
  closeSandbox(sandboxId: string, code: number, reason: string): void {
    const terms = this.bySandbox.get(sandboxId);
    if (!terms) return;
    this.bySandbox.delete(sandboxId);
    for (const t of terms.values()) t.closeAll(code, reason);
  }

  closeAll(code: number, reason: string): void {
    for (const id of [...this.bySandbox.keys()]) this.closeSandbox(id, code, reason);
  }
}

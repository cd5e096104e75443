import type { PtyLike } from "../terminal/terminal";

/**
 * A login shell started before anyone asked for it (with the container, see initWithTerminal):
 * whatever it prints (welcome text, first prompt) is kept until the Terminal that adopts it
 * subscribes, then replayed in order on the next turn of the event loop (after the Terminal has
 * attached its first client), so the recording and the client see the shell's output from byte 0.
 */
export class PreparedShell implements PtyLike {
  private buffered: (string | Buffer)[] = [];
  private bufferedBytes = 0;
  private live = false;
  private replayScheduled = false;
  private readonly dataListeners: ((d: string | Buffer) => void)[] = [];
  private readonly exitListeners: ((e: { exitCode: number; signal?: number }) => void)[] = [];
  private exitInfo: { exitCode: number; signal?: number } | null = null;
  private exitDelivered = false;

  constructor(
    private readonly p: PtyLike,
    /** A shell that prints more than this before adoption loses the rest (it should print ~1 KiB). */
    private readonly maxBufferedBytes = 256 * 1024,
  ) {
    p.onData((d) => {
      if (this.live) for (const l of this.dataListeners) l(d);
      else if (this.bufferedBytes < this.maxBufferedBytes) {
        this.buffered.push(d);
        this.bufferedBytes += d.length;
      }
    });
    p.onExit((e) => {
      this.exitInfo = e;
      if (this.live) this.deliverExit();
    });
  }

  get pid(): number {
    return this.p.pid;
  }
  get exited(): boolean {
    return this.exitInfo !== null;
  }

  onData(listener: (data: string | Buffer) => void): { dispose(): void } {
    this.dataListeners.push(listener);
    this.scheduleReplay();
    return { dispose: () => void this.dataListeners.splice(this.dataListeners.indexOf(listener) >>> 0, 1) };
  }

  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void } {
    this.exitListeners.push(listener);
    this.scheduleReplay();
    return { dispose: () => void this.exitListeners.splice(this.exitListeners.indexOf(listener) >>> 0, 1) };
  }

  private scheduleReplay(): void {
    if (this.live || this.replayScheduled) return;
    this.replayScheduled = true;
    setImmediate(() => {
      const items = this.buffered;
      this.buffered = [];
      this.bufferedBytes = 0;
      for (const d of items) for (const l of this.dataListeners) l(d);
      this.live = true;
      if (this.exitInfo) this.deliverExit();
    });
  }

  private deliverExit(): void {
    if (this.exitDelivered || !this.exitInfo) return;
    this.exitDelivered = true;
    for (const l of this.exitListeners) l(this.exitInfo);
  }

  write(data: string | Buffer): boolean | void {
    return this.p.write(data);
  }
  resize(cols: number, rows: number): void {
    this.p.resize(cols, rows);
  }
  pause(): void {
    this.p.pause();
  }
  resume(): void {
    this.p.resume();
  }
  kill(signal?: string): void {
    this.p.kill(signal);
  }
}

/**
 * "A command finished" for shells that print no shell-integration marks: busybox `sh` in lesson 4's
 * chroot, `sh` in a nested container, a `python3` prompt. The sandbox's bash reports every command
 * with OSC 133 (shell-marks.ts); inside another shell nothing does, and the page's automatic Checks
 * never ran there.
 *
 * The rule: after the learner sent Enter, once the output has been quiet for `quietMs` and its last
 * line looks like a prompt (ends in `# `, `$ `, `> ` or `% `, colours and other escapes ignored),
 * the command is taken as finished. A shell mark seen meanwhile (bash at work) cancels it, so bash's
 * commands are never reported twice. A silent command still running (`sleep 60`) leaves the cursor on
 * an empty line and is not reported; a full-screen program redraws with escapes and rarely ends
 * on a prompt-like line. Pure apart from the timer, which is injected.
 */

export interface SettleTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

const DEFAULT_TIMERS: SettleTimers = {
  set: (fn, ms) => setTimeout(fn, ms).unref(),
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
  now: () => performance.now(),
};

/** How much of the output after Enter is kept to find the last line (a prompt is short). */
const TAIL_CHARS = 256;

/** CSI (`ESC [ ... final`), OSC (`ESC ] ... BEL|ST`), and two-byte escapes. */
const ESCAPES = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/** Whether the text's last line (escapes removed) looks like a shell's prompt waiting for input. */
export function endsLikePrompt(text: string): boolean {
  const plain = text.replace(ESCAPES, "");
  const last = plain.slice(Math.max(plain.lastIndexOf("\n"), plain.lastIndexOf("\r")) + 1);
  return /[#$>%] ?$/.test(last);
}

export class PromptSettle {
  private armed = false;
  private tail = "";
  private timer: unknown;
  private lastOutput = 0;

  constructor(
    private readonly quietMs: number,
    private readonly onSettled: () => void,
    private readonly timers: SettleTimers = DEFAULT_TIMERS,
  ) {}

  /** Enter was sent and no mark or settled prompt came since: output is worth looking at. */
  get waiting(): boolean {
    return this.armed;
  }

  /** The learner's keystrokes: Enter (CR or LF) arms the rule. */
  input(data: Uint8Array): void {
    if (!data.includes(0x0d) && !data.includes(0x0a)) return;
    this.armed = true;
    this.tail = "";
    this.lastOutput = this.timers.now();
    this.stop();
    this.timer = this.timers.set(() => this.fire(), this.quietMs);
  }

  /** Output from the PTY (latin1 is enough: only ASCII prompt characters are looked at). */
  output(text: string): void {
    if (!this.armed) return;
    this.tail = (this.tail + text).slice(-TAIL_CHARS);
    // No timer work per chunk (a flood sends thousands): the timer checks the time of the last one.
    this.lastOutput = this.timers.now();
    // The last look found no prompt yet (a command still running): look again once this output settles.
    if (this.timer === undefined) this.timer = this.timers.set(() => this.fire(), this.quietMs);
  }

  /** A shell-integration mark was seen: that shell reports its commands itself. */
  mark(): void {
    this.armed = false;
    this.stop();
  }

  dispose(): void {
    this.armed = false;
    this.stop();
  }

  private stop(): void {
    if (this.timer !== undefined) this.timers.clear(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.armed) return;
    const quietFor = this.timers.now() - this.lastOutput;
    if (quietFor < this.quietMs) {
      this.timer = this.timers.set(() => this.fire(), this.quietMs - quietFor);
      return;
    }
    if (!endsLikePrompt(this.tail)) return;
    this.armed = false;
    this.onSettled();
  }
}

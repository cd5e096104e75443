/**
 * How a Terminal learns that its shell ended, and with which status. The shell runs under a tiny
 * wrapper (`bash -l; printf <mark> $?`, see loginShellCommand) that prints a private OSC sequence
 * when bash returns. The runner no longer has a runc process per terminal whose exit it could wait
 * for (it holds the PTY itself), and the PTY only reports EOF once *every* process holding it has
 * closed it — a learner's `sleep 999 &` would keep a finished shell's tab open.
 *
 * The learner can print the mark themselves; that only closes their own terminal.
 */
export const EXIT_MARK_PREFIX = "\x1b]6973;exit;";
const BEL = "\x07";
/** Longest mark: prefix + up to 3 digits + BEL. */
const MAX_MARK = EXIT_MARK_PREFIX.length + 3 + BEL.length;

/** The wrapper the sandbox's terminal shells run in (argv for runc). */
export function loginShellCommand(): string[] {
  return ["/bin/sh", "-c", `/bin/bash -l; printf '\\033]6973;exit;%d\\007' "$?"`];
}

export interface ScanResult {
  /** Output to pass on (the mark and anything after it removed). */
  output: string;
  /** Set once the mark was seen: the shell's exit status. */
  exitCode?: number;
}

/**
 * Finds the exit mark in a stream of output chunks. A chunk that ends with what could be the start
 * of a mark keeps that tail back until the next chunk decides (at most MAX_MARK characters).
 */
export class ExitMarkScanner {
  private carry = "";
  private done = false;

  /** Part of a possible mark is held back from the last chunk. */
  get holding(): boolean {
    return this.carry !== "";
  }

  push(chunk: string): ScanResult {
    if (this.done) return { output: "" };
    const text = this.carry + chunk;
    this.carry = "";
    const at = text.indexOf(EXIT_MARK_PREFIX);
    if (at >= 0) {
      const m = /^(\d{1,3})\x07/.exec(text.slice(at + EXIT_MARK_PREFIX.length));
      if (m) {
        this.done = true;
        return { output: text.slice(0, at), exitCode: Number(m[1]) };
      }
      const rest = text.slice(at + EXIT_MARK_PREFIX.length);
      // Not (yet) a complete mark: wait for more if it still could become one, else pass it on.
      if (/^\d{0,3}$/.test(rest)) {
        this.carry = text.slice(at);
        return { output: text.slice(0, at) };
      }
      return { output: text };
    }
    // Hold back a tail that is a prefix of the mark ("\x1b", "\x1b]69", ...).
    const from = Math.max(0, text.length - MAX_MARK);
    for (let i = text.indexOf("\x1b", from); i >= 0; i = text.indexOf("\x1b", i + 1)) {
      if (EXIT_MARK_PREFIX.startsWith(text.slice(i))) {
        this.carry = text.slice(i);
        return { output: text.slice(0, i) };
      }
    }
    return { output: text };
  }

  /** What is held back, when the stream ends without the mark completing. */
  flush(): string {
    const c = this.carry;
    this.carry = "";
    return c;
  }
}

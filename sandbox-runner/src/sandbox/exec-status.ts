/**
 * How exec learns a Check's exit status without handing the container anything of the runner's.
 *
 * The script runs under a wrapper that prints a trailer on stdout when it ends:
 * `\n<nonce> <status>\n`, the nonce fresh for each exec. runc copies the container's stdio through its
 * own pipes, so the trailer arrives with the output and the runner strips it out. runc itself only
 * exits once nothing inside holds those pipes, which a background process the script left running
 * (`server &`) would do for ever: the trailer is what tells the runner the script is done.
 *
 * The learner is root in their own sandbox and can read the nonce (the wrapper's argv) and print the
 * trailer themselves, or kill the wrapper: that forges the result of their own Check only. Nothing
 * in the trailer reaches beyond the one exec it ends.
 */

/** The wrapper: `$1` the script, `$2` the nonce. The script's stderr joins its stdout (real order). */
const WRAPPER = `bash -c "$1" bash 2>&1; printf '\\n%s %s\\n' "$2" "$?"`;

/** argv for runc: the wrapper running `script`, ending with the trailer for `nonce`. */
export function execCommand(script: string, nonce: string): string[] {
  checkNonce(nonce);
  return ["/bin/sh", "-c", WRAPPER, "sh", script, nonce];
}

function checkNonce(nonce: string): void {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error(`exec nonce must be 16 to 64 lowercase hex digits, got ${JSON.stringify(nonce)}`);
}

const LF = 0x0a;
const isDigit = (c: number | undefined) => c !== undefined && c >= 0x30 && c <= 0x39;

export interface TrailerScan {
  /** Output to keep (the trailer removed; a possible start of it held back). */
  output: Buffer;
  /** Set once the trailer was seen: the script's exit status. */
  status?: number;
  /** With `status`: where in `output` the trailer stood (what follows it came after the script ended). */
  at?: number;
}

/**
 * Finds the trailer in the stdout stream, chunk by chunk. Only a tail that could still become the
 * trailer (at most its length, ~40 bytes) is held between chunks: nothing already passed on is
 * searched again, whatever the sandbox writes.
 */
export class TrailerScanner {
  private readonly head: Buffer;
  private carry: Buffer = Buffer.alloc(0);
  private status: number | undefined;

  constructor(nonce: string) {
    checkNonce(nonce);
    this.head = Buffer.from(`\n${nonce} `, "latin1");
  }

  /** The status once the trailer was seen. */
  get exitStatus(): number | undefined {
    return this.status;
  }

  push(chunk: Buffer): TrailerScan {
    if (this.status !== undefined) return { output: chunk };
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = Buffer.alloc(0);
    const h = this.head.length;
    for (let at = buf.indexOf(this.head); at >= 0; at = buf.indexOf(this.head, at + 1)) {
      let n = 0;
      while (n < 3 && isDigit(buf[at + h + n])) n++;
      const after = at + h + n;
      if (n > 0 && buf[after] === LF) {
        this.status = Number(buf.subarray(at + h, after).toString("latin1"));
        return { output: Buffer.concat([buf.subarray(0, at), buf.subarray(after + 1)]), status: this.status, at };
      }
      // Cut short by the chunk's end: it may still become the trailer.
      if (after === buf.length) return this.hold(buf, at);
    }
    // A tail that is the start of the trailer's head ("\n", "\n3f", ...).
    for (let i = buf.indexOf(LF, Math.max(0, buf.length - h + 1)); i >= 0; i = buf.indexOf(LF, i + 1))
      if (this.head.subarray(0, buf.length - i).equals(buf.subarray(i))) return this.hold(buf, i);
    return { output: buf };
  }

  /** What is held back, when the stream ends without the trailer completing. */
  flush(): Buffer {
    const c = this.carry;
    this.carry = Buffer.alloc(0);
    return c;
  }

  private hold(buf: Buffer, from: number): TrailerScan {
    // A copy: a view would keep the whole chunk alive.
    this.carry = Buffer.from(buf.subarray(from));
    return { output: buf.subarray(0, from) };
  }
}

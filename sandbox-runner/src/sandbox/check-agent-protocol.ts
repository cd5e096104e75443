/**
 * The Check agent's channel, without I/O (check-agent.ts does the I/O).
 *
 * The agent is a bash started inside the sandbox by one `runc exec` (so with all of exec's
 * confinement) that stays up and runs Check batches on request: the runner writes a request on its
 * stdin, the agent answers on its stdout, both through the pipes runc holds for that exec. Starting
 * runc per Check costs 50–130 ms of CPU on the machines this runs on; a request to a running agent
 * costs a fork or two inside the sandbox.
 *
 * Request: `<ack nonce> <done nonce> <length>\n` then `<length>` bytes of script (a check-batch.ts
 * driver). The agent reads the script exactly (`dd iflag=fullblock`: bash's own `read` would take it
 * byte by byte, `head -c` may read past it), prints the ack trailer `\n<ack> 0\n`, runs the script in
 * a subshell (nothing it sets outlives it), then prints the done trailer `\n<done> <status>\n`: the
 * trailers are exec-status.ts's, found by its TrailerScanner.
 *
 * Threat model, as for exec's trailer: the learner is root in the sandbox and can kill or stop the
 * agent, read its requests or write into its pipes (/proc/<pid>/fd). That forges or fails their own
 * Checks only; what the runner reads is capped here (junk between requests, a reply's size), and a
 * channel that breaks a rule is reported as broken: the runner then discards the agent and answers
 * with today's one-exec batch.
 */
import { TrailerScanner } from "./exec-status";

/** What `ps -ef` shows as its command (argv0), so a learner who lists processes knows what it is. */
export const AGENT_NAME = "verificador-do-curso";
/** What `ps` shows without -f (the kernel keeps 15 bytes of a process's name). */
export const AGENT_COMM = "verificador";

/**
 * The agent's loop, sent as the first bytes on its stdin: a bash reading its script from a pipe
 * reads it one byte at a time, so the `read` and `dd` inside the loop see exactly what follows.
 * (On the command line it would make `ps -ef` show a screenful of shell.) stderr goes nowhere but
 * for the script, whose stderr joins its stdout as exec's does. A bad header ends the agent (exit
 * 2): the runner sees it close and falls back.
 */
export const AGENT_LOOP = [
  `printf ${AGENT_COMM} >/proc/$$/comm 2>/dev/null; exec 2>/dev/null`,
  `while IFS=' ' read -r __a __t __l; do`,
  `  case $__l in ''|*[!0-9]*) exit 2;; esac`,
  `  __r=$(dd bs="$__l" count=1 iflag=fullblock status=none) || exit 2`,
  `  printf '\\n%s 0\\n' "$__a"`,
  `  ( eval "$__r" ) </dev/null 2>&1`,
  `  printf '\\n%s %s\\n' "$__t" "$?"`,
  // Nothing after the loop: its `read` would take it as the first request's header.
  `done`,
  "",
].join("\n");

/** argv for `runc exec`: a bash renamed to AGENT_NAME that reads its program (AGENT_LOOP) from stdin. */
export function agentCommand(): string[] {
  return ["/bin/bash", "-c", `exec -a ${AGENT_NAME} /bin/bash`];
}

/** Biggest script sent to an agent (a batch of 32 Checks of 64 KiB each, and the driver). */
export const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

function checkNonce(nonce: string): void {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error(`agent nonce must be 16 to 64 lowercase hex digits, got ${JSON.stringify(nonce)}`);
}

/** Whether the agent can carry `script`: bash drops NUL bytes from what `dd` hands it (exec refuses them too). */
export function agentCanRun(script: string): boolean {
  return script.length > 0 && !script.includes("\0") && Buffer.byteLength(script) <= MAX_REQUEST_BYTES;
}

/** The bytes of one request. */
export function encodeRequest(script: string, ackNonce: string, doneNonce: string): Buffer {
  checkNonce(ackNonce);
  checkNonce(doneNonce);
  if (!agentCanRun(script)) throw new Error("the agent cannot carry this script: it is empty, holds a NUL byte or is over 4 MiB");
  const body = Buffer.from(script, "utf8");
  return Buffer.concat([Buffer.from(`${ackNonce} ${doneNonce} ${body.length}\n`, "latin1"), body]);
}

export interface ChannelLimits {
  /** Bytes tolerated outside a reply (between requests, before the ack): the learner writing into the pipe. */
  junkMax: number;
}

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = { junkMax: 64 * 1024 };

export type ChannelEvent =
  | { kind: "acked" }
  | { kind: "done"; status: number; output: Buffer }
  /** The channel broke a rule: the agent must be discarded (the reason is for the log). */
  | { kind: "broken"; reason: string };

export type ChannelState = "idle" | "waiting-ack" | "running" | "broken";

/**
 * One agent's stdout, request by request: what belongs to the current reply, what is junk, and when
 * the channel must be given up. Never throws on what the sandbox writes.
 */
export class AgentChannel {
  private st: ChannelState = "idle";
  private junk = 0;
  private ack?: TrailerScanner;
  private done?: TrailerScanner;
  private chunks: Buffer[] = [];
  private size = 0;
  private maxOutput = 0;

  constructor(private readonly limits: ChannelLimits = DEFAULT_CHANNEL_LIMITS) {}

  get state(): ChannelState {
    return this.st;
  }

  /** A request was written: its reply is awaited. Only an idle channel takes one. */
  begin(ackNonce: string, doneNonce: string, maxOutputBytes: number): void {
    if (this.st !== "idle") throw new Error(`a request cannot begin on a ${this.st} agent channel`);
    this.ack = new TrailerScanner(ackNonce);
    this.done = new TrailerScanner(doneNonce);
    this.chunks = [];
    this.size = 0;
    this.maxOutput = maxOutputBytes;
    this.st = "waiting-ack";
  }

  /** The caller gave up on the channel (a deadline passed, the process ended). */
  breakOff(): void {
    this.st = "broken";
    this.chunks = [];
  }

  /** Bytes read from the agent's stdout; the events they complete, in order. */
  push(chunk: Buffer): ChannelEvent[] {
    const events: ChannelEvent[] = [];
    let rest = chunk;
    while (rest.length > 0 && this.st !== "broken") {
      const b = rest;
      rest = Buffer.alloc(0);
      if (this.st === "idle") {
        this.addJunk(b.length, events);
      } else if (this.st === "waiting-ack") {
        // Before the ack: junk (a possible start of the ack is held back by the scanner).
        const r = this.ack!.push(b);
        if (r.status === undefined) {
          this.addJunk(r.output.length, events);
          continue;
        }
        if (!this.addJunk(r.at!, events)) break;
        this.st = "running";
        events.push({ kind: "acked" });
        rest = r.output.subarray(r.at!);
      } else {
        const r = this.done!.push(b);
        const out = r.status === undefined ? r.output : r.output.subarray(0, r.at!);
        if (this.size + out.length > this.maxOutput) {
          this.fail(events, `its reply passed the cap of ${this.maxOutput} bytes`);
          break;
        }
        if (out.length > 0) {
          // A copy: a view would keep the whole chunk alive.
          this.chunks.push(Buffer.from(out));
          this.size += out.length;
        }
        if (r.status === undefined) continue;
        const output = Buffer.concat(this.chunks);
        this.chunks = [];
        this.st = "idle";
        events.push({ kind: "done", status: r.status, output });
        rest = r.output.subarray(r.at!);
      }
    }
    return events;
  }

  /** Junk counts over the agent's whole life: a learner trickling into the pipe gets there too. */
  private addJunk(n: number, events: ChannelEvent[]): boolean {
    this.junk += n;
    if (this.junk <= this.limits.junkMax) return true;
    this.fail(events, `more than ${this.limits.junkMax} bytes came outside any reply`);
    return false;
  }

  private fail(events: ChannelEvent[], reason: string): void {
    this.breakOff();
    events.push({ kind: "broken", reason });
  }
}

/**
 * When a new agent may be started after one was lost. A learner who kills their agent in a loop
 * would otherwise make every trigger pay an agent start on top of the batch: after each loss the
 * wait doubles (from `baseMs` up to `maxMs`), and the Checks meanwhile take today's one-exec path.
 * Losses more than `forgetMs` apart start the count again (an agent that lived that long was not
 * being killed in a loop).
 */
export class AgentBackoff {
  private losses = 0;
  private lastLoss = -Infinity;
  private until = -Infinity;

  constructor(
    private readonly o: { baseMs: number; maxMs: number; forgetMs: number } = { baseMs: 1000, maxMs: 300_000, forgetMs: 600_000 },
  ) {}

  /** Whether an agent may be started at `now`. */
  mayStart(now: number): boolean {
    return now >= this.until;
  }

  /** An agent was lost (killed, stopped, flooding, over a deadline) at `now`. */
  lost(now: number): void {
    if (now - this.lastLoss > this.o.forgetMs) this.losses = 0;
    this.losses++;
    this.lastLoss = now;
    this.until = now + Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(30, this.losses - 1));
  }

  /** Milliseconds until the next start is allowed (0 if now). */
  waitMs(now: number): number {
    return Math.max(0, this.until - now);
  }
}

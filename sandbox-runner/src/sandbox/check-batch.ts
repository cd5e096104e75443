/**
 * A batch of Checks in one exec: every due Check of a lesson runs, one after the other, in a single
 * `runc exec` (the one SandboxManager.exec starts, with all of its confinement), instead of one exec
 * per Check. Starting runc costs 50–130 ms of CPU per exec on the machines this runs on, against a
 * few milliseconds for the checks themselves.
 *
 * Inside, a small bash driver runs the Checks at once, each as `timeout -k 1 <s> bash -c <script>`
 * with stdin from /dev/null and stdout+stderr into its own scratch file (not a pipe: a background
 * process a Check left running would hold a pipe open and stall the batch), waits for them, then
 * prints each file between two marks that carry a fresh nonce:
 * `\n<nonce> begin <i>\n<output>\n<nonce> end <i> <status> <µs>\n`. Checks only read the sandbox's
 * state, so running them together changes no result; the batch takes as long as its slowest Check.
 *
 * The driver runs in the sandbox's Check agent when it has one (check-agent.ts: no runc exec per
 * batch), else in an exec of its own.
 *
 * Threat model, as for exec's trailer (exec-status.ts): the learner is root in their own sandbox and
 * can read the nonce (argv) or replace `timeout`/`bash`; that forges the results of their own Checks
 * only. Nothing here reaches the runner beyond the exec's capped stdout, which the parser reads once.
 */
import type { BatchCheckResult } from "../../../contract/types";
import type { ExecResult } from "./manager";

export interface BatchCheck {
  /** The caller's name for it (an exercise id); echoed back in the result. */
  id: string;
  script: string;
  timeoutMs: number;
}

export type { BatchCheckResult };

/** Output kept per Check (the exec's default cap for one script). */
export const CHECK_OUTPUT_MAX = 64 * 1024;
/** Biggest file a Check of a batch may write (its scratch output included), unless the caller says. */
export const CHECK_FILE_MAX = 1024 * 1024;
/** Most Checks in one batch: a lesson has a handful; the cap bounds one request's work. */
export const MAX_BATCH_CHECKS = 32;

/** Shell-quotes a value for bash (single quotes). */
function shq(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

function checkNonce(nonce: string): void {
  if (!/^[0-9a-f]{16,64}$/.test(nonce)) throw new Error(`batch nonce must be 16 to 64 lowercase hex digits, got ${JSON.stringify(nonce)}`);
}

/** Whole seconds for `timeout` (it takes fractions too, but busybox's does not: keep it portable). */
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** The bash script that runs `checks` in order and marks each one's output and status. */
export function batchScript(
  checks: readonly BatchCheck[],
  nonce: string,
  maxOutputBytes = CHECK_OUTPUT_MAX,
  fileMaxBytes = CHECK_FILE_MAX,
): string {
  checkNonce(nonce);
  if (checks.length === 0) throw new Error("a Check batch needs at least one Check");
  // One byte past the cap tells the parser the output was cut.
  const keep = maxOutputBytes + 1;
  const lines = [
    `__n=${nonce}`,
    // One scratch dir for the batch; if /tmp is full or gone, fall back to one Check after the other
    // through a pipe (head caps it).
    `__d=$(mktemp -d 2>/dev/null) || __d=`,
    // Runs Check $1 into $__d/$1 (output) and $__d/$1.st (status, µs): the Checks run at once.
    `__bg() {`,
    // A flood into a Check's scratch file must not fill the learner's writable layer before its
    // timeout (it dies of SIGXFSZ instead); a Check may still write files of its own up to the cap
    // (lesson 6's exports an image with docker save).
    `  ulimit -f ${Math.max(1, Math.ceil(fileMaxBytes / 1024))}`,
    `  local t0=\${EPOCHREALTIME/./} s`,
    `  timeout -k 1 "$2" bash -c "$3" bash </dev/null >"$__d/$1" 2>&1; s=$?`,
    `  printf '%s %s' "$s" "$(( \${EPOCHREALTIME/./} - t0 ))" >"$__d/$1.st"`,
    `}`,
    `__seq() {`,
    `  local t0=\${EPOCHREALTIME/./} s`,
    `  printf '\\n%s begin %s\\n' "$__n" "$1"`,
    `  timeout -k 1 "$2" bash -c "$3" bash </dev/null 2>&1 | head -c ${keep}; s=\${PIPESTATUS[0]}`,
    `  printf '\\n%s end %s %s %s\\n' "$__n" "$1" "$s" "$(( \${EPOCHREALTIME/./} - t0 ))"`,
    `}`,
    `if [ -n "$__d" ]; then`,
    ...checks.map((c, i) => `  __bg ${i} ${seconds(c.timeoutMs)} ${shq(c.script)} &`),
    // Only the drivers' own subshells are waited for, never what a Check left running.
    `  wait`,
    `  for __i in ${checks.map((_, i) => i).join(" ")}; do`,
    `    printf '\\n%s begin %s\\n' "$__n" "$__i"`,
    `    head -c ${keep} "$__d/$__i" 2>/dev/null`,
    // No status file: the Check's driver itself was killed (125, as `timeout` says for its own failure).
    `    __st=; [ -r "$__d/$__i.st" ] && { read -r __st <"$__d/$__i.st" || true; }; [ -n "$__st" ] || __st='125 0'`,
    `    printf '\\n%s end %s %s\\n' "$__n" "$__i" "$__st"`,
    `  done`,
    `  rm -rf "$__d"`,
    `else`,
    ...checks.map((c, i) => `  __seq ${i} ${seconds(c.timeoutMs)} ${shq(c.script)}`),
    `fi`,
  ];
  return lines.join("\n") + "\n";
}

/** How long the whole batch may take: every Check's own timeout and kill grace (the fallback runs them in turn), and a margin. */
export function batchTimeoutMs(checks: readonly BatchCheck[]): number {
  return checks.reduce((t, c) => t + seconds(c.timeoutMs) * 1000 + 1000, 0) + 5000;
}

/** The exec's output cap for a batch: every Check's cap plus the marks. */
export function batchOutputMax(checks: readonly BatchCheck[], maxOutputBytes = CHECK_OUTPUT_MAX): number {
  return checks.length * (maxOutputBytes + 1 + 200);
}

/** `timeout`'s status when it stopped the Check (TERM), and when it had to KILL it. */
const TIMEOUT_TERM = 124;
const TIMEOUT_KILL = 137;

/**
 * Splits the batch's output into one result per Check. A Check whose marks are missing (the batch
 * was stopped, the sandbox died) gets exitCode 1 with `exec`'s own reason; it never passes.
 */
export function parseBatch(
  exec: ExecResult,
  checks: readonly BatchCheck[],
  nonce: string,
  maxOutputBytes = CHECK_OUTPUT_MAX,
): BatchCheckResult[] {
  checkNonce(nonce);
  const out = exec.output;
  let from = 0;
  return checks.map((c, i) => {
    const begin = `\n${nonce} begin ${i}\n`;
    const b = out.indexOf(begin, from);
    const endRe = new RegExp(`\\n${nonce} end ${i} (\\d{1,3}) (\\d{1,15})\\n`, "g");
    endRe.lastIndex = b < 0 ? 0 : b + begin.length;
    const e = b < 0 ? null : endRe.exec(out);
    if (b < 0 || !e) {
      return {
        id: c.id,
        exitCode: 1,
        output: b < 0 ? "" : out.slice(b + begin.length),
        durationMs: 0,
        timedOut: exec.timedOut,
        truncated: exec.truncated,
      };
    }
    from = e.index + e[0].length;
    const raw = out.slice(b + begin.length, e.index);
    const bytes = Buffer.from(raw, "utf8");
    const truncated = bytes.length > maxOutputBytes;
    const status = Number(e[1]);
    const durationMs = Math.round(Number(e[2]) / 1000);
    return {
      id: c.id,
      exitCode: status,
      output: truncated ? bytes.subarray(0, maxOutputBytes).toString("utf8") : raw,
      durationMs,
      timedOut: status === TIMEOUT_TERM || (status === TIMEOUT_KILL && durationMs >= c.timeoutMs),
      truncated,
    };
  });
}

/**
 * Runs `checks` in one exec of `run` (SandboxManager.exec or the port's), one result per Check, in order.
 * `alwaysDriver`: a single Check goes through the driver too (the Check agent needs its `timeout`);
 * `fileMaxBytes`: the biggest file a Check may write.
 */
export async function runCheckBatch(
  run: (script: string, opts: { timeoutMs: number; maxOutputBytes: number }) => Promise<ExecResult>,
  checks: readonly BatchCheck[],
  nonce: string,
  maxOutputBytes = CHECK_OUTPUT_MAX,
  { alwaysDriver = false, fileMaxBytes = CHECK_FILE_MAX }: { alwaysDriver?: boolean; fileMaxBytes?: number } = {},
): Promise<BatchCheckResult[]> {
  // One Check: exec's own timeout, cap and status are the Check's; no driver to start.
  if (checks.length === 1 && !alwaysDriver) {
    const c = checks[0]!;
    const r = await run(c.script, { timeoutMs: c.timeoutMs, maxOutputBytes });
    return [{ ...r, id: c.id }];
  }
  const r = await run(batchScript(checks, nonce, maxOutputBytes, fileMaxBytes), {
    timeoutMs: batchTimeoutMs(checks),
    maxOutputBytes: batchOutputMax(checks, maxOutputBytes),
  });
  return parseBatch(r, checks, nonce, maxOutputBytes);
}

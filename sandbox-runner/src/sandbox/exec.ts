import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import type { Runc } from "../container/runc";
import { TrailerScanner, execCommand } from "./exec-status";
import { killTree } from "./process-tree";
import type { SandboxRecord } from "./record";
import type { ExecOptions, ExecResult } from "../../../contract/types";

export type { ExecOptions, ExecResult };

/** What exec keeps of runc's stderr (its error message), and how much it reads there before stopping the script. */
const RUNC_STDERR_KEEP = 4096;
const RUNC_STDERR_MAX = 64 * 1024;

/**
 * Runs a script non-interactively (a Check): `bash -c` with stderr merged into stdout inside, so
 * the output keeps its real order. runc runs in the foreground without a TTY: it copies the
 * container's stdio through pipes of its own, so no descriptor of the runner's ever crosses into
 * the sandbox; the exit status comes back as a trailer on stdout (see exec-status.ts). On timeout
 * or past the output cap the script and everything it started inside the sandbox are killed
 * (host descendants of the exec'd process, each checked to be in the sandbox's cgroup).
 */
export async function runScript(runc: Runc, rec: SandboxRecord, script: string, opts: ExecOptions, log: Logger): Promise<ExecResult> {
  const id = rec.id;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxOutput = opts.maxOutputBytes ?? 64 * 1024;
  const pidFile = path.join(rec.dir, `exec-${randomBytes(4).toString("hex")}.pid`);
  // Fresh per exec, so output from an earlier Check cannot end this one. The learner (root in their
  // own sandbox) can read it and forge the trailer: that changes their own Check's result only.
  const nonce = randomBytes(16).toString("hex");
  const scanner = new TrailerScanner(nonce);
  const args = runc.execArgs(id, execCommand(script, nonce), { pidFile });
  const started = Date.now();
  const cmd = runc.command(args);
  const child = spawn(cmd.file, cmd.args, { stdio: ["pipe", "pipe", "pipe"] });
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  // runc's own complaints. (This runc gives the container one pipe for stdout and stderr; one that
  // gave it its own stderr pipe would let the sandbox write here too, hence the cap.)
  let runcErr = Buffer.alloc(0);
  let errBytes = 0;
  let stopping = false;
  let closed = false;
  // At the timeout, and past the output cap: the rest would only be read and thrown away, so the
  // script is stopped instead (a `yes` would otherwise keep the runner busy until the timeout).
  const stopScript = async () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => child.kill("SIGKILL"), 2000).unref();
    // A flood can hit the cap before runc has written the pid file: wait for it (briefly).
    let pid = 0;
    for (let i = 0; i < 40 && !pid && !closed; i++) {
      pid = Number((await readFile(pidFile, "utf8").catch(() => "")).trim()) || 0;
      if (!pid) await new Promise((r) => setTimeout(r, 25));
    }
    if (pid > 0) await killTree(pid, rec.cgroupsPath).catch((e: unknown) => log.warn({ err: e, id }, "exec: could not kill the script"));
  };
  const overflow = () => {
    truncated = true;
    void stopScript();
  };
  const keep = (b: Buffer) => {
    if (b.length === 0) return;
    if (size >= maxOutput) return overflow();
    const take = b.subarray(0, maxOutput - size);
    chunks.push(take);
    size += take.length;
    if (take.length < b.length) overflow();
  };
  child.stdout.on("data", (b: Buffer) => {
    const r = scanner.push(b);
    keep(r.output);
    // The script is done: give its output a moment to arrive, then stop waiting for runc.
    if (r.status !== undefined) setTimeout(() => child.kill("SIGKILL"), 200).unref();
  });
  child.stderr.on("data", (b: Buffer) => {
    errBytes += b.length;
    runcErr = Buffer.from(Buffer.concat([runcErr, b]).subarray(-RUNC_STDERR_KEEP));
    // runc says a few hundred bytes when it fails; more is the sandbox writing there.
    if (errBytes > RUNC_STDERR_MAX) overflow();
  });
  child.stdin.on("error", () => undefined);
  child.stdin.end(opts.stdin ?? "");
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void stopScript();
  }, timeoutMs);
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => resolve(scanner.exitStatus ?? code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  }).finally(() => {
    closed = true;
    clearTimeout(timer);
    // Nothing of this exec stays open, whatever is still running inside.
    for (const s of [child.stdin, child.stdout, child.stderr]) s.destroy();
  });
  keep(scanner.flush());
  await rm(pidFile, { force: true });
  let output = Buffer.concat(chunks).toString("utf8");
  // runc's own failure (e.g. the sandbox died) is not the script's output, but the caller must see
  // it; once the wrapper reported, stderr held only what the sandbox wrote there.
  if (exitCode !== 0 && runcErr.length > 0 && !timedOut && !truncated && scanner.exitStatus === undefined)
    output += runcErr.toString("utf8");
  return { exitCode, output, durationMs: Date.now() - started, timedOut, truncated };
}

/**
 * Thin wrapper over the runc CLI. `--root` is the runner's own state dir, so after a crash the next
 * start can list exactly the containers this runner made (and no one else's).
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { CommandError, runCommand } from "./command";

export interface RuncContainer {
  id: string;
  pid: number;
  status: string;
  bundle: string;
}

export class Runc {
  /**
   * `limits`: prlimit options (e.g. `--nofile=1024`) that `runc run` and `runc exec` start under, so
   * the sandbox's processes inherit them (userns.ts says why not through the spec's `rlimits`).
   */
  constructor(
    readonly binary: string,
    readonly stateDir: string,
    readonly limits: string[] = [],
  ) {}

  /** The program and arguments that start runc with `args` under `limits`. */
  command(args: string[]): { file: string; args: string[] } {
    return this.limits.length ? { file: "prlimit", args: [...this.limits, "--", this.binary, ...args] } : { file: this.binary, args };
  }

  /** Global args first: runc parses `--root` before the subcommand. */
  args(...rest: string[]): string[] {
    return ["--root", this.stateDir, ...rest];
  }

  /**
   * Creates and starts a container detached: runc exits once the init process runs, so no runc
   * process stays resident beside each sandbox. stdio is /dev/null on purpose: a pipe or a file here
   * would be inherited by the container's init (reachable at /proc/1/fd), a path out of the sandbox.
   * runc's own errors go to a log file in the bundle.
   *
   * --no-new-keyring: by default every container (and every `runc exec`) gets a new kernel session
   * keyring owned by the sandbox's root, i.e. host uid SANDBOX_UID_BASE, which all sandboxes share.
   * The kernel caps keys per uid (kernel.keys.maxkeys, 200), so after ~200 containers execs fail with
   * "unable to join session keyring: disk quota exceeded". The sandbox cannot use keyrings anyway:
   * the seccomp filter refuses keyctl, add_key and request_key.
   */
  /**
   * Returns the host pid of the container's init. With `consoleSocket` (and `terminal: true` in the
   * Bundle) runc sends the init's PTY master there instead (see console-socket.ts).
   */
  async run(id: string, bundleDir: string, opts: { consoleSocket?: string } = {}): Promise<number> {
    const log = path.join(bundleDir, "runc.log");
    const pidFile = path.join(bundleDir, "init.pid");
    const code = await new Promise<number | null>((resolve, reject) => {
      const cmd = this.command(
        this.args(
          "--log",
          log,
          "--log-format",
          "json",
          "run",
          "--detach",
          "--no-new-keyring",
          ...(opts.consoleSocket ? ["--console-socket", opts.consoleSocket] : []),
          "--pid-file",
          pidFile,
          "--bundle",
          bundleDir,
          id,
        ),
      );
      const child = spawn(cmd.file, cmd.args, { stdio: "ignore" });
      child.on("error", reject);
      child.on("exit", (c) => resolve(c));
    });
    if (code !== 0) {
      const text = await readFile(log, "utf8").catch(() => "");
      const messages = text
        .split("\n")
        .filter(Boolean)
        .map((l) => {
          try {
            const j = JSON.parse(l) as { level?: string; msg?: string };
            return j.level === "error" || j.level === "fatal" ? j.msg : undefined;
          } catch {
            return l;
          }
        })
        .filter(Boolean);
      throw new CommandError(`runc run ${id}`, code, messages.join("; ") || "see " + log);
    }
    return Number((await readFile(pidFile, "utf8")).trim());
  }

  async kill(id: string, signal = "KILL"): Promise<void> {
    await runCommand(this.binary, this.args("kill", id, signal));
  }

  /** Kills (if needed) and removes the container; tolerates it being gone already. */
  async delete(id: string): Promise<void> {
    try {
      await runCommand(this.binary, this.args("delete", "--force", id));
    } catch (e) {
      if (e instanceof CommandError && /does not exist|not exist/i.test(e.stderr)) return;
      throw e;
    }
  }

  async list(): Promise<RuncContainer[]> {
    const { stdout } = await runCommand(this.binary, this.args("list", "--format", "json"));
    const parsed = JSON.parse(stdout.trim() || "null") as RuncContainer[] | null;
    return parsed ?? [];
  }

  async state(id: string): Promise<RuncContainer | undefined> {
    try {
      const { stdout } = await runCommand(this.binary, this.args("state", id));
      return JSON.parse(stdout) as RuncContainer;
    } catch {
      return undefined;
    }
  }

  /** Args for `runc exec`, for callers that spawn it themselves (pipes, or a PTY). */
  execArgs(
    id: string,
    command: string[],
    opts: {
      tty?: boolean;
      detach?: boolean;
      consoleSocket?: string;
      cwd?: string;
      env?: string[];
      pidFile?: string;
    } = {},
  ): string[] {
    const a = ["exec"];
    if (opts.tty) a.push("--tty");
    if (opts.detach) a.push("--detach");
    if (opts.consoleSocket) a.push("--console-socket", opts.consoleSocket);
    a.push("--cwd", opts.cwd ?? "/root");
    for (const e of opts.env ?? []) a.push("--env", e);
    if (opts.pidFile) a.push("--pid-file", opts.pidFile);
    return this.args(...a, id, ...command);
  }

  /**
   * `runc exec --detach --tty --console-socket`: starts `command` on a new PTY inside the container
   * and exits once it runs; the PTY master arrives on the socket. No runc process stays behind.
   */
  async execDetachedTty(id: string, command: string[], opts: { consoleSocket: string; env?: string[] }): Promise<void> {
    const cmd = this.command(this.execArgs(id, command, { tty: true, detach: true, consoleSocket: opts.consoleSocket, env: opts.env }));
    await runCommand(cmd.file, cmd.args, { timeoutMs: 15_000 });
  }
}

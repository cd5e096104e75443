import { EventEmitter } from "node:events";
import { spawn as spawnChild } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as pty from "node-pty";
import type { ExecResult, SandboxInfo, SandboxPort } from "./port";
import { capacityFault, notFoundFault } from "../sandbox/errors";

/**
 * DEVELOPMENT AND TESTS ONLY: "sandboxes" that are plain bash processes on the host, no isolation
 * at all. Lets the terminal path and the API be exercised without runc. Never wired in main.ts.
 */
export class HostShellPort extends EventEmitter implements SandboxPort {
  private readonly boxes = new Map<string, SandboxInfo>();
  constructor(private readonly capacity = 10) {
    super();
  }
  async create(owner: string, _opts?: unknown): Promise<SandboxInfo> {
    if (this.boxes.size >= this.capacity) {
      throw capacityFault(this.boxes.size);
    }
    const id = `sb-${randomBytes(5).toString("hex")}`;
    const info: SandboxInfo = { id, owner, state: "running", createdAt: Date.now(), lastActivityAt: Date.now(), hostname: id };
    this.boxes.set(id, info);
    return info;
  }
  get(id: string) {
    return this.boxes.get(id);
  }
  list() {
    return [...this.boxes.values()];
  }
  async destroy(id: string) {
    if (this.boxes.delete(id)) this.emit("destroyed", { id });
  }
  async exec(id: string, script: string, opts: { timeoutMs?: number } = {}): Promise<ExecResult> {
    if (!this.boxes.has(id)) throw notFoundFault(id);
    const started = Date.now();
    return new Promise((resolve) => {
      const p = spawnChild("bash", ["-c", script], { timeout: opts.timeoutMs ?? 10_000 });
      let out = "";
      p.stdout.on("data", (d) => (out += d));
      p.stderr.on("data", (d) => (out += d));
      p.on("close", (code, sig) =>
        resolve({ exitCode: code ?? 128, output: out, durationMs: Date.now() - started, timedOut: sig === "SIGTERM", truncated: false }),
      );
    });
  }
  spawnTerminal(id: string, opts: { cols: number; rows: number }) {
    if (!this.boxes.has(id)) throw new Error(`No sandbox with id ${id}`);
    // Same shell-integration marks as the sandbox image prints (OSC 133 D = finished, A = prompt).
    return pty.spawn("bash", ["--norc", "--noprofile", "-i"], {
      name: "xterm-256color",
      cols: opts.cols,
      rows: opts.rows,
      cwd: "/tmp",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        TERM: "xterm-256color",
        HOME: "/tmp",
        PS1: "$ ",
        PROMPT_COMMAND: 'printf "\\033]133;D;%s\\007\\033]133;A\\007" "$?"',
      },
    });
  }
  touch(id: string) {
    const b = this.boxes.get(id);
    if (b) b.lastActivityAt = Date.now();
  }
}

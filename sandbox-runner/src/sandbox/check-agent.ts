/**
 * The Check agent (issue 16): one long-lived process per sandbox that runs Check batches on
 * request, so a Check costs a fork inside the sandbox instead of starting runc (a Go process,
 * 50–130 ms of CPU here) per trigger. The channel's rules are in check-agent-protocol.ts.
 *
 * It is started by ONE `runc exec`, exactly as exec.ts starts a Check (same user namespace, cgroup,
 * seccomp filter, capabilities, rlimits, cwd), lazily at the sandbox's first Check: a warm-pool
 * sandbox nobody gets, or a learner who never checks, costs nothing, and the first Check pays the
 * one exec it pays today. runc stays in the foreground copying the agent's stdio through pipes of its
 * own, as for exec: no descriptor of the runner's crosses into the sandbox.
 *
 * Whatever the learner (root inside) does to it (kill it, stop it, write into its pipes, make a
 * Check hang), a request ends within its deadline: the agent is then discarded (its runc exec and its
 * whole process tree, each pid checked to be in the sandbox's cgroup) and the batch runs through
 * today's one-exec path. A new agent is started at a later trigger, after a backoff that doubles with
 * each loss, so a kill loop costs about one exec per trigger, as today.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable, Writable } from "node:stream";
import type { Logger } from "pino";
import type { Runc } from "../container/runc";
import type { ExecResult } from "../../../contract/types";
import { AGENT_LOOP, AgentBackoff, AgentChannel, agentCanRun, agentCommand, encodeRequest } from "./check-agent-protocol";
import { killTree } from "./process-tree";
import type { SandboxRecord } from "./record";

/** How the runner's Checks were run, for /metrics and the tests. */
export interface CheckPathStats {
  /** `runc exec`s started for scripts and Checks: exec calls, one-exec batches and agent starts. */
  runcExecs: number;
  /** Agents started (one runc exec each). */
  agentStarts: number;
  /** Batches an agent answered. */
  agentBatches: number;
  /** Batches run by one exec each (no agent could answer). */
  execBatches: number;
  /** Agents discarded (deadline, flood, bad channel) or found dead. */
  agentsLost: number;
}

export const newCheckPathStats = (): CheckPathStats => ({ runcExecs: 0, agentStarts: 0, agentBatches: 0, execBatches: 0, agentsLost: 0 });

/**
 * How long an agent may take to acknowledge a request: a running one answers in milliseconds; a new
 * one first waits for runc to start it (seconds on a loaded machine). Past it the agent is taken for
 * stopped (SIGSTOP) or gone and the batch falls back.
 */
const ACK_MS = 5_000;
const ACK_NEW_AGENT_MS = 20_000;
/** What runc may say on stderr (its errors are a few hundred bytes; more is the sandbox writing there). */
const RUNC_STDERR_MAX = 64 * 1024;

type RunOpts = { timeoutMs: number; maxOutputBytes: number };

interface Pending {
  resolve(r: ExecResult | null): void;
  started: number;
  ackTimer: NodeJS.Timeout;
  deadline: NodeJS.Timeout;
}

/** One running agent: one `runc exec` and the channel over its pipes. */
class CheckAgent {
  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly channel = new AgentChannel();
  private readonly pidFile: string;
  private pending?: Pending;
  private errBytes = 0;
  private ended = false;
  /** Requests answered so far (the first one waits for runc to start the agent). */
  answered = 0;

  constructor(
    runc: Runc,
    private readonly rec: SandboxRecord,
    private readonly log: Logger,
    private readonly onLost: (reason: string) => void,
  ) {
    this.pidFile = path.join(rec.dir, `agent-${randomBytes(4).toString("hex")}.pid`);
    const cmd = runc.command(runc.execArgs(rec.id, agentCommand(), { pidFile: this.pidFile }));
    this.child = spawn(cmd.file, cmd.args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdin.on("error", () => undefined);
    this.child.stdout.on("data", (b: Buffer) => this.onData(b));
    this.child.stderr.on("data", (b: Buffer) => {
      this.errBytes += b.length;
      if (this.errBytes > RUNC_STDERR_MAX) void this.discard("it wrote too much on stderr");
    });
    this.child.on("error", (e) => void this.discard(`runc could not be started: ${e.message}`));
    this.child.on("close", (code, signal) => void this.discard(`it ended (${signal ?? `exit ${code}`})`));
    this.child.stdin.write(AGENT_LOOP);
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** Runs `script` (a batch driver): its result, or null if the agent failed it (then it is discarded). */
  request(script: string, o: RunOpts): Promise<ExecResult | null> {
    if (this.ended || this.pending || this.channel.state !== "idle") return Promise.resolve(null);
    const ack = randomBytes(16).toString("hex");
    const done = randomBytes(16).toString("hex");
    this.channel.begin(ack, done, o.maxOutputBytes);
    return new Promise((resolve) => {
      const ackMs = this.answered === 0 ? ACK_NEW_AGENT_MS : ACK_MS;
      this.pending = {
        resolve,
        started: Date.now(),
        ackTimer: setTimeout(() => void this.discard(`no acknowledgement within ${ackMs} ms (stopped?)`), ackMs),
        // The batch's own budget (every Check's timeout and kill grace) from when it was sent.
        deadline: setTimeout(() => void this.discard(`the batch passed its deadline of ${o.timeoutMs} ms`), o.timeoutMs + ackMs),
      };
      this.child.stdin.write(encodeRequest(script, ack, done));
    });
  }

  private onData(b: Buffer): void {
    for (const ev of this.channel.push(b)) {
      if (ev.kind === "acked") {
        if (this.pending) clearTimeout(this.pending.ackTimer);
      } else if (ev.kind === "done") {
        const p = this.pending;
        if (!p) continue;
        this.settle(p, {
          exitCode: ev.status,
          output: ev.output.toString("utf8"),
          durationMs: Date.now() - p.started,
          timedOut: false,
          truncated: false,
        });
        this.answered++;
      } else {
        void this.discard(ev.reason);
      }
    }
  }

  private settle(p: Pending, r: ExecResult | null): void {
    clearTimeout(p.ackTimer);
    clearTimeout(p.deadline);
    if (this.pending === p) this.pending = undefined;
    p.resolve(r);
  }

  /**
   * Ends the agent: its processes inside are killed (each pid checked against the sandbox's cgroup),
   * then its runc; then a pending request resolves null (its batch falls back). `quiet`: the
   * sandbox is stopping (its init's death takes everything inside with it): no loss to count.
   */
  async discard(reason: string, quiet = false): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.channel.breakOff();
    // Our ends closed: nothing more is read (a flood would keep the runner busy until the kill), and
    // runc stops copying (EOF on the agent's stdin, a broken pipe on its stdout).
    for (const s of [this.child.stdin, this.child.stdout, this.child.stderr]) s.destroy();
    const running = this.child.exitCode === null && this.child.signalCode === null;
    if (!quiet) {
      this.log.info({ id: this.rec.id, reason }, "check agent discarded; Checks fall back to one exec per batch");
      this.onLost(reason);
      // runc writes the pid file before the agent runs: a few tries cover a kill right after the start.
      let pid = 0;
      for (let i = 0; i < 20 && !pid && running; i++) {
        pid = Number((await readFile(this.pidFile, "utf8").catch(() => "")).trim()) || 0;
        if (!pid) await new Promise((r) => setTimeout(r, 25));
      }
      if (pid > 0)
        await killTree(pid, this.rec.cgroupsPath).catch((e: unknown) =>
          this.log.warn({ err: e, id: this.rec.id }, "could not kill the check agent"),
        );
      // runc reaps the agent it started and exits; killed first, it would leave a zombie holding one of
      // the sandbox's pids until the host's init reaps it. It gets 2 s (a learner may hold its pipes).
      if (this.child.exitCode === null && this.child.signalCode === null)
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 2000);
          this.child.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
        });
    }
    this.child.kill("SIGKILL");
    // Only now: the fallback exec must not meet what the agent was still running.
    if (this.pending) this.settle(this.pending, null);
    await rm(this.pidFile, { force: true });
  }
}

export interface CheckAgentSlotDeps {
  runc: Runc;
  rec: SandboxRecord;
  log: Logger;
  stats: CheckPathStats;
  /** Today's path: the script through one `runc exec` (exec.ts); counts its own exec. */
  exec(script: string, o: RunOpts): Promise<ExecResult>;
  backoff?: AgentBackoff;
}

/** A sandbox's Check path: its agent when it has (or may start) one, else one exec per batch. Requests run one at a time. */
export class CheckAgentSlot {
  private agent?: CheckAgent;
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly backoff: AgentBackoff;

  constructor(private readonly d: CheckAgentSlotDeps) {
    this.backoff = d.backoff ?? new AgentBackoff();
  }

  /** Runs a batch driver (check-batch.ts) and returns its raw result for parseBatch. */
  run(script: string, o: RunOpts): Promise<ExecResult> {
    const r = this.tail.then(() => this.runNow(script, o));
    this.tail = r.catch(() => undefined);
    return r;
  }

  private async runNow(script: string, o: RunOpts): Promise<ExecResult> {
    if (!this.closed && agentCanRun(script)) {
      const agent = this.agent?.alive ? this.agent : this.start();
      const r = agent ? await agent.request(script, o) : null;
      if (r) {
        this.d.stats.agentBatches++;
        return r;
      }
    }
    this.d.stats.execBatches++;
    return this.d.exec(script, o);
  }

  private start(): CheckAgent | undefined {
    if (!this.backoff.mayStart(Date.now())) return undefined;
    this.d.stats.agentStarts++;
    this.d.stats.runcExecs++;
    const agent: CheckAgent = new CheckAgent(this.d.runc, this.d.rec, this.d.log, () => {
      this.d.stats.agentsLost++;
      this.backoff.lost(Date.now());
      if (this.agent === agent) this.agent = undefined;
    });
    this.agent = agent;
    return agent;
  }

  /** The sandbox is stopping: its agent's runc goes now, what ran inside dies with the sandbox's init. */
  async close(): Promise<void> {
    this.closed = true;
    await this.agent?.discard("the sandbox is stopping", true);
    this.agent = undefined;
  }
}

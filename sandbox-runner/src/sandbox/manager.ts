/**
 * SandboxManager: one Container per learner Session, created from the Image's layers, limited,
 * timed out and cleaned up. Owns the runner's sandboxes dir, its runc state dir and its cgroup parent,
 * so whatever a crashed run left there is ours to remove at init(). Each job has its own module:
 * host.ts (prepare the host), recovery.ts (after a crash), bundle.ts (bring up a Bundle), pool.ts
 * (warm pool), slots.ts (owner uids), exec.ts (Checks), terminals.ts (shells), teardown.ts (timers,
 * kill, teardown); this file keeps the sandboxes' records and the order of things.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/config";
import { cgroupParentFor, removeAllSandboxCgroups, setSandboxesCpuWeight } from "../container/cgroups";
import { INODES_PER_MB, snapshotPaths } from "../container/mounts";
import { Runc } from "../container/runc";
import { transition } from "../container/state";
import { sandboxRlimitArgs } from "../container/userns";
import type { PtyLike } from "../terminal/terminal";
import type { CreateOptions } from "../../../contract/types";
import { CHECK_OUTPUT_MAX, runCheckBatch, type BatchCheck, type BatchCheckResult } from "./check-batch";
import { CheckAgentSlot, newCheckPathStats, type CheckPathStats } from "./check-agent";
import { bringUpBundle, type SandboxImage, type ShellStart } from "./bundle";
import { capacityFault, notFoundFault, notRunningFault, shuttingDownFault } from "./errors";
import { runScript, type ExecOptions, type ExecResult } from "./exec";
import { prepareHost, type HostSetup } from "./host";
import { WarmPool, type PoolTarget } from "./pool";
import { DemandWindow, boundedPoolTarget, demandTarget } from "./pool-demand";
import { StartGate, type StartGateStats } from "./start-gate";
import { infoOf, newRecord, type SandboxInfo, type SandboxRecord } from "./record";
import { removeLeftovers } from "./recovery";
import { SavedWorkStore } from "./saved-work";
import { Slots, slotRange } from "./slots";
import { armTimers, clearTimers, killInit, teardown } from "./teardown";
import { spawnShell } from "./terminals";

export type { BatchCheck, BatchCheckResult, CheckPathStats, ExecOptions, ExecResult, SandboxImage, SandboxInfo };
export { RunnerFault, isFault, type FaultCode } from "../../../contract/faults";

export type { CreateOptions };

/** The language the pool's shells greet in: the course's default. */
const POOL_LANG = "pt-BR";

/** "ended": requested with the owner's files kept (`destroy(id, { keepFiles: true })`). */
export type DestroyReason = "idle" | "expired" | "requested" | "shutdown" | "ended";
export interface DestroyedEvent {
  id: string;
  owner: string;
  reason: DestroyReason;
}
/**
 * Why a sandbox stops: a DestroyReason is announced ('destroyed'); a failed start is reported by its
 * own rejection, and a pool sandbox nobody got was never anyone's, so neither is announced.
 */
type StopReason = DestroyReason | "start-failed" | "discarded";

export interface SandboxManagerOptions {
  /** Override SANDBOX_IDLE_MINUTES / SANDBOX_MAX_MINUTES with milliseconds (tests). */
  idleTimeoutMs?: number;
  maxLifetimeMs?: number;
  /** Container-engine seccomp profile to translate (Debian's containers-common by default). */
  seccompProfilePath?: string;
}

type Owned = SandboxRecord & { owner: string };

/** How often an auto-sized pool looks at demand again (it also does at every create and destroy). */
const POOL_REVIEW_MS = 5000;

/** What the runner is doing about new sandboxes now (GET /healthz shows it; tests read it). */
export interface StartStats {
  /** Learners' sandboxes (running, starting or stopping). */
  owned: number;
  /** Warm pool: sandboxes ready to hand out, and starting. */
  pool: { ready: number; starting: number; target: number };
  /** Bundles being brought up now, the most ever at once (≤ SANDBOX_STARTS_AT_ONCE), and waiting to start. */
  starts: StartGateStats;
  /** Learners waiting in line for room (see reserve()). */
  waiting: number;
}

/** The host's available memory (MiB), as the kernel estimates it for new work; unknown: plenty. */
function hostAvailableMb(): number {
  try {
    const m = /^MemAvailable:\s+(\d+) kB/m.exec(readFileSync("/proc/meminfo", "utf8"));
    return m ? Number(m[1]) / 1024 : Number.POSITIVE_INFINITY;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** In a sandbox's host dir: whose it is, so a runner restarting after a crash saves the right learner's work. */
const OWNER_FILE = "owner";

export class SandboxManager extends EventEmitter {
  /** Learners' sandboxes (owned), starting, running or stopping. */
  private readonly recs = new Map<string, Owned>();
  private readonly pool: WarmPool;
  private readonly slots: Slots;
  private readonly runc: Runc;
  private readonly sandboxesDir: string;
  private readonly cgroupParent: string;
  private readonly lifetime: { idleMs: number; maxMs: number };
  private host?: HostSetup;
  private shuttingDown = false;
  /** Learners' work kept between their sandboxes (saved when one ends, restored into the next). */
  private readonly saved: SavedWorkStore;
  private pruneTimer?: NodeJS.Timeout;
  /** How scripts and Checks were run (runc execs, Check agent), for /metrics and the tests. */
  private readonly checkStats = newCheckPathStats();
  private poolTimer?: NodeJS.Timeout;
  /** Bundles brought up at once, at most SANDBOX_STARTS_AT_ONCE (learners' first). */
  private readonly gate: StartGate;
  /** When learners asked for a sandbox lately: the auto-sized pool follows it. */
  private readonly demand = new DemandWindow();
  /** create() calls past their first await that have not taken their place in `recs` yet. */
  private entering = 0;
  /** Learners waiting in line (the server's queue): the pool leaves their room alone. */
  private reserved = 0;

  constructor(
    private readonly cfg: RunnerConfig,
    private readonly image: SandboxImage,
    private readonly log: Logger,
    private readonly opts: SandboxManagerOptions = {},
  ) {
    super();
    this.runc = new Runc(cfg.RUNC_BINARY, path.join(cfg.runnerDir, "runc"), sandboxRlimitArgs());
    this.sandboxesDir = path.join(cfg.runnerDir, "sandboxes");
    this.cgroupParent = cgroupParentFor(cfg.runnerDir);
    this.lifetime = {
      idleMs: opts.idleTimeoutMs ?? cfg.SANDBOX_IDLE_MINUTES * 60_000,
      maxMs: opts.maxLifetimeMs ?? cfg.SANDBOX_MAX_MINUTES * 60_000,
    };
    this.slots = new Slots(slotRange(cfg.SANDBOX_CAPACITY));
    const MB = 1024 * 1024;
    this.saved = new SavedWorkStore(
      {
        dir: path.join(cfg.runnerDir, "saved-work"),
        ids: { base: cfg.SANDBOX_UID_BASE, count: cfg.SANDBOX_UID_COUNT },
        maxBytesPerLearner: cfg.SAVED_WORK_MAX_MB_PER_LEARNER * MB,
        maxBytes: cfg.SAVED_WORK_MAX_MB * MB,
        retentionMs: cfg.SAVED_WORK_RETENTION_DAYS * 86_400_000,
        restore: { maxBytes: cfg.SANDBOX_DISK_MB * MB, maxMembers: cfg.SANDBOX_DISK_MB * INODES_PER_MB },
      },
      log,
    );
    this.gate = new StartGate(cfg.SANDBOX_STARTS_AT_ONCE);
    this.pool = new WarmPool({
      target: () => this.poolTarget(),
      capacity: cfg.SANDBOX_CAPACITY,
      owned: () => this.recs.size,
      open: () => this.host !== undefined && !this.shuttingDown,
      start: () => {
        const rec = newRecord(this.sandboxesDir, this.cgroupParent);
        rec.ready = this.start(rec, { lang: POOL_LANG });
        return rec;
      },
      discard: (rec, why) => this.stop(rec, why),
      log,
    });
  }

  /** Prepares the host (seccomp filter, limits) and removes every container, mount, cgroup and dir a crashed run left behind. */
  async init(): Promise<void> {
    await mkdir(this.runc.stateDir, { recursive: true });
    await mkdir(this.sandboxesDir, { recursive: true });
    const host = await prepareHost(this.cfg, this.sandboxesDir, this.image.layers[0]?.snapshotDir, this.log, this.opts.seccompProfilePath);
    await this.saved.prune().catch((e: unknown) => this.log.warn({ err: e }, "could not prune saved work"));
    this.pruneTimer = setInterval(() => void this.saved.prune().catch(() => undefined), 6 * 3_600_000).unref();
    // After a crash the writable layers are still mounted: their learners' work is saved as at a stop.
    const left = await removeLeftovers(this.runc, this.sandboxesDir, this.cgroupParent, this.log, async (dir) => {
      const owner = await readFile(path.join(dir, OWNER_FILE), "utf8").catch(() => "");
      const upper = snapshotPaths(dir).upper;
      if (owner && existsSync(upper)) await this.saved.save(owner, upper);
    });
    if (left.containers + left.mounts + left.cgroups + left.dirs > 0) this.log.warn(left, "removed what an earlier run left behind");
    // After the leftovers (their removal takes the parent cgroup too), before the first sandbox.
    const weighted = await setSandboxesCpuWeight(this.cgroupParent, this.cfg.SANDBOXES_CPU_WEIGHT);
    if (!weighted) this.log.warn("no cpu cgroup controller found: the sandboxes' CPU weight (SANDBOXES_CPU_WEIGHT) is not applied");
    this.host = host;
    this.pool.refill();
    // Demand fades with time (a burst ends, a class goes home): the auto-sized pool follows it.
    if (this.cfg.SANDBOX_POOL_SIZE === "auto") this.poolTimer = setInterval(() => this.pool.refill(), POOL_REVIEW_MS).unref();
  }

  /** The pool's size now: fixed (SANDBOX_POOL_SIZE=N, within the room) or from demand (auto, within room, memory and SANDBOX_POOL_MAX). */
  private poolTarget(): PoolTarget {
    const size = this.cfg.SANDBOX_POOL_SIZE;
    const auto = size === "auto";
    const keep = auto ? Math.min(this.cfg.SANDBOX_POOL_MAX, demandTarget(this.demand, Date.now())) : size;
    if (keep === 0) return { start: 0, keep };
    const start = boundedPoolTarget(keep, {
      max: keep,
      capacity: this.cfg.SANDBOX_CAPACITY,
      owned: this.recs.size,
      waiting: this.reserved,
      // A fixed size is the operator's choice: only the room bounds it, as before.
      availableMb: auto ? hostAvailableMb() : Number.POSITIVE_INFINITY,
      sandboxMemoryMb: this.cfg.SANDBOX_MEMORY_MB,
      pooled: this.pool.count,
    });
    return { start, keep };
  }

  /** How many more learners' sandboxes fit now (a pool sandbox is room: create() hands it out). */
  room(): number {
    return Math.max(0, this.cfg.SANDBOX_CAPACITY - this.recs.size - this.entering);
  }

  /** `n` learners wait in line for room: the pool starts nothing into it. */
  reserve(n: number): void {
    this.reserved = Math.max(0, n);
    if (this.reserved === 0) this.pool.refill();
  }

  stats(): StartStats {
    return {
      owned: this.recs.size,
      pool: { ready: this.pool.readyCount, starting: this.pool.count - this.pool.readyCount, target: this.poolTarget().start },
      starts: this.gate.stats(),
      waiting: this.reserved,
    };
  }

  get capacity(): number {
    return this.cfg.SANDBOX_CAPACITY;
  }

  async create(owner: string, opts: CreateOptions = {}): Promise<SandboxInfo> {
    if (!this.host) throw new Error("SandboxManager.init() must finish before create().");
    if (this.shuttingDown) throw shuttingDownFault();
    // The owner's last sandbox may still be ending (a page asks again the moment its terminal
    // closes): its files are being saved, so they must be on disk before we look for them.
    const ending = [...this.recs.values()].filter((r) => r.owner === owner && r.stopping);
    await Promise.all(ending.map((r) => r.stopping!.catch(() => undefined)));
    this.demand.record(Date.now());
    // A warm sandbox's upper dir is already under its overlay: saved work goes into a cold one.
    this.entering++;
    let restore: boolean;
    try {
      restore = !!(await this.saved.pending(owner));
    } finally {
      this.entering--;
    }
    if (this.shuttingDown) throw shuttingDownFault();
    if (this.recs.size >= this.cfg.SANDBOX_CAPACITY) throw capacityFault(this.recs.size);
    const pooled = restore ? undefined : this.pool.take();
    if (pooled) {
      const now = Date.now();
      const rec = Object.assign(pooled, { owner, createdAt: now, lastActivityAt: now });
      if (rec.prepared && ((opts.lang ?? POOL_LANG) !== POOL_LANG || opts.shell === false)) {
        // It greeted in another language: the first Terminal starts a fresh shell instead.
        rec.prepared.kill();
        rec.prepared = undefined;
      }
      this.recs.set(rec.id, rec);
      this.arm(rec);
      void writeFile(path.join(rec.dir, OWNER_FILE), owner).catch(() => undefined);
      return infoOf(rec);
    }
    const rec: Owned = { ...newRecord(this.sandboxesDir, this.cgroupParent), owner };
    this.recs.set(rec.id, rec);
    rec.ready = this.start(rec, opts.shell === false ? null : { lang: opts.lang });
    try {
      await rec.ready;
    } catch (e) {
      await this.stop(rec, "start-failed");
      throw e;
    }
    this.pool.refill();
    return infoOf(rec);
  }

  /**
   * Brings up the Bundle, when the start gate lets it (a learner's before the pool's); an owned
   * sandbox's timers start once it runs (a pool one's when handed out).
   */
  private async start(rec: SandboxRecord, shell: ShellStart | null): Promise<void> {
    await this.gate.run(rec.owner === undefined ? "pool" : "learner", () => this.bringUp(rec, shell));
  }

  private async bringUp(rec: SandboxRecord, shell: ShellStart | null): Promise<void> {
    // The runner began stopping while this start waited for its turn: nothing to bring up.
    if (this.shuttingDown) throw shuttingDownFault();
    const started = Date.now();
    rec.slot ??= this.slots.take(this.recs.size);
    const owner = rec.owner;
    await bringUpBundle(rec as SandboxRecord & { slot: number }, shell, {
      cfg: this.cfg,
      image: this.image,
      runc: this.runc,
      host: this.host!,
      fillUpper: owner
        ? async (upper) => {
            await writeFile(path.join(rec.dir, OWNER_FILE), owner);
            rec.savedWork = await this.saved.restore(owner, upper);
          }
        : undefined,
    });
    if (rec.state !== "creating") return; // destroyed meanwhile
    rec.state = transition(rec.state, "running");
    if (rec.owner !== undefined) this.arm(rec);
    this.log.debug({ id: rec.id, ms: Date.now() - started }, "sandbox running");
  }

  private arm(rec: SandboxRecord): void {
    armTimers(rec, this.lifetime, (reason) => void this.stop(rec, reason));
  }

  get(id: string): SandboxInfo | undefined {
    const r = this.recs.get(id);
    return r ? infoOf(r) : undefined;
  }

  list(): SandboxInfo[] {
    return [...this.recs.values()].map(infoOf);
  }

  touch(id: string): void {
    const r = this.recs.get(id);
    if (!r || r.state !== "running") return;
    r.lastActivityAt = Date.now();
    this.arm(r);
  }

  /**
   * Idempotent: destroying a gone or unknown sandbox resolves. A reset (the learner asked for a fresh
   * sandbox) unless `keepFiles`: then it ends as a timeout would, its owner's files saved.
   */
  async destroy(id: string, opts: { keepFiles?: boolean } = {}): Promise<void> {
    const r = this.recs.get(id);
    if (r) await this.stop(r, opts.keepFiles ? "ended" : "requested");
  }

  private stop(rec: SandboxRecord, reason: StopReason): Promise<void> {
    if (rec.stopping) return rec.stopping;
    rec.stopping = (async () => {
      await rec.ready.catch(() => undefined);
      clearTimers(rec);
      rec.state = transition(rec.state, "stopping");
      rec.prepared?.kill("SIGKILL");
      rec.prepared = undefined;
      await rec.checks?.close();
      try {
        await killInit(rec);
        // The writable layer is kept for its learner, unless they asked for a fresh sandbox (reset).
        if (rec.owner && reason === "requested") await this.saved.discard(rec.owner);
        else if (rec.owner && reason !== "start-failed" && reason !== "discarded")
          await this.saved.save(rec.owner, snapshotPaths(rec.dir).upper);
        await teardown(this.runc, rec);
      } catch (e) {
        this.log.error({ err: e, id: rec.id }, "sandbox teardown incomplete: the next init() will finish it");
      }
      rec.state = transition(rec.state, "gone");
      this.recs.delete(rec.id);
      this.slots.release(rec.slot);
      if (rec.owner === undefined) return;
      // A learner's sandbox freed capacity the pool may use (never after a pool start failed: no retry loop).
      this.pool.refill();
      if (reason !== "start-failed" && reason !== "discarded")
        this.emit("destroyed", { id: rec.id, owner: rec.owner, reason } satisfies DestroyedEvent);
    })();
    return rec.stopping;
  }

  private running(id: string): Owned {
    const r = this.recs.get(id);
    if (!r) throw notFoundFault(id);
    if (r.state !== "running") throw notRunningFault(id, r.state);
    return r;
  }

  /** Runs a script non-interactively (a Check) in a running sandbox: see exec.ts. */
  async exec(id: string, script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const rec = this.running(id);
    this.touch(id);
    try {
      this.checkStats.runcExecs++;
      return await runScript(this.runc, rec, script, opts, this.log);
    } finally {
      this.touch(id);
    }
  }

  /**
   * A batch of Checks (check-batch.ts) in a running sandbox, through its Check agent (check-agent.ts):
   * no runc exec per batch once the agent runs; one exec per batch whenever the agent cannot answer.
   */
  async runChecks(id: string, checks: readonly BatchCheck[]): Promise<BatchCheckResult[]> {
    const rec = this.running(id);
    this.touch(id);
    const slot = (rec.checks ??= new CheckAgentSlot({
      runc: this.runc,
      rec,
      log: this.log,
      stats: this.checkStats,
      exec: (script, o) => {
        this.checkStats.runcExecs++;
        return runScript(this.runc, rec, script, o, this.log);
      },
    }));
    try {
      const nonce = randomBytes(16).toString("hex");
      // A quarter of the writable layer per file: room for an image export, not for a flood to fill it.
      const fileMaxBytes = Math.floor((this.cfg.SANDBOX_DISK_MB * 1024 * 1024) / 4);
      return await runCheckBatch((s, o) => slot.run(s, o), checks, nonce, CHECK_OUTPUT_MAX, { alwaysDriver: true, fileMaxBytes });
    } finally {
      this.touch(id);
    }
  }

  /** A copy of the counts of runc execs, batches and Check agents so far. */
  checkPathStats(): CheckPathStats {
    return { ...this.checkStats };
  }

  /** A login shell on a PTY inside a running sandbox: see terminals.ts. */
  async spawnTerminal(id: string, opts: { cols: number; rows: number }): Promise<PtyLike> {
    const rec = this.running(id);
    this.touch(id);
    return spawnShell(this.runc, rec, opts, { savedWork: this.cfg.SAVED_WORK_MAX_MB_PER_LEARNER > 0 });
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    clearInterval(this.pruneTimer);
    clearInterval(this.poolTimer);
    const pooled = await this.pool.drain();
    await Promise.all([...this.recs.values()].map((r) => this.stop(r, "shutdown")).concat(pooled.map((r) => this.stop(r, "discarded"))));
    // The parent cgroup is ours too: an empty one left in every controller per runner dir adds up
    // (each CLI run has its own runner dir).
    await removeAllSandboxCgroups(this.cgroupParent).catch((e: unknown) =>
      this.log.warn({ err: e }, "could not remove the sandboxes' parent cgroup"),
    );
  }
}

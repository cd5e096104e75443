/**
 * SandboxManager: one Container per learner Session, created from the Image's layers, limited,
 * timed out and cleaned up. Owns the runner's sandboxes dir, its runc state dir and its cgroup parent,
 * so whatever a crashed run left there is ours to remove at init().
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/config";
import {
  cgroupMountPoints,
  cgroupParentFor,
  cgroupsPathFor,
  removeAllSandboxCgroups,
  removeCgroup,
  swapLimitSupported,
} from "../container/cgroups";
import { MAX_SOCKET_PATH, receivePtyMaster } from "../container/console-socket";
import { mountSnapshot, mountsUnder, unmountAll } from "../container/mounts";
import { Runc } from "../container/runc";
import { translateSeccompProfile, type EngineSeccompProfile, type OciSeccomp } from "../container/seccomp";
import { buildOciConfig, DEFAULT_ENV, initWithTerminal, SANDBOX_CAPABILITIES, sandboxHostname } from "../container/spec";
import { transition, type ContainerState } from "../container/state";
import { validateOciConfig } from "../container/validate";
import { blockDeviceOf } from "../container/block-device";
import { ensureHostLimits } from "../container/host-limits";
import { MAX_UID, OwnedUserNamespace, sandboxOwnerUid, sandboxRlimitArgs } from "../container/userns";
import { CapacityError, SandboxNotFoundError, SandboxNotRunningError, ShuttingDownError } from "./errors";
import { PreparedShell } from "./prepared-shell";
import { TrailerScanner, execCommand } from "./exec-status";
import { inCgroup, killTree } from "./process-tree";
import { closeMaster, ContainerPty } from "../terminal/container-pty";
import { loginShellCommand } from "../terminal/exit-mark";
import type { PtyLike } from "../terminal/terminal";

export { CapacityError, SandboxNotFoundError, SandboxNotRunningError, ShuttingDownError } from "./errors";

/** What the manager needs of an Image (structurally the `Image` of ../image). */
export interface SandboxImage {
  layoutDir: string;
  configDigest?: string;
  layers: { snapshotDir: string }[];
}

export interface SandboxInfo {
  id: string;
  owner: string;
  state: ContainerState;
  createdAt: number;
  lastActivityAt: number;
  hostname: string;
}
export interface ExecResult {
  exitCode: number;
  output: string;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
}
export interface ExecOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  stdin?: string;
}
export interface CreateOptions {
  /**
   * Start the first Terminal's shell with the container (default true): its prompt is ready before
   * anyone connects. Off for sandboxes that only run scripts (the CLI's exec).
   */
  shell?: boolean;
  /** The learner's language for the shell's welcome text (CURSO_LANG in the sandbox). */
  lang?: "pt-BR" | "en";
}

/** The language the pool's shells greet in: the course's default. */
const POOL_LANG = "pt-BR";

/** How long after handing out a pool sandbox the pool starts its replacement. */
const POOL_REFILL_DELAY_MS = 1000;

/** The n-th console socket of a sandbox: in its host dir, never inside the container. */
const consoleSocketPath = (sandboxDir: string, n: number) => path.join(sandboxDir, `console-${n}.sock`);

/** Size of a shell started before anyone connected; the first client's HELLO resizes it. */
const PREPARED_SIZE = { cols: 80, rows: 24 };

export type DestroyReason = "idle" | "expired" | "requested" | "shutdown";
export interface DestroyedEvent {
  id: string;
  owner: string;
  reason: DestroyReason;
}

export interface SandboxManagerOptions {
  /** Override SANDBOX_IDLE_MINUTES / SANDBOX_MAX_MINUTES with milliseconds (tests). */
  idleTimeoutMs?: number;
  maxLifetimeMs?: number;
  /** Container-engine seccomp profile to translate (Debian's containers-common by default). */
  seccompProfilePath?: string;
}

interface Rec {
  info: SandboxInfo;
  dir: string;
  cgroupsPath: string;
  /** Host pid of the container's init, once running. */
  initPid?: number;
  ready: Promise<void>;
  stopping?: Promise<void>;
  /** The login shell started with the container, until the first Terminal adopts it. */
  prepared?: PreparedShell;
  /** Console sockets made so far (each runc call gets its own path). */
  consoles: number;
  /** Which owner uid of the range its user namespace has (see userns.ts); released at stop. */
  slot?: number;
  idleTimer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
}

const DEFAULT_SECCOMP_PROFILE = "/usr/share/containers/seccomp.json";

/** What exec keeps of runc's stderr (its error message), and how much it reads there before stopping the script. */
const RUNC_STDERR_KEEP = 4096;
const RUNC_STDERR_MAX = 64 * 1024;

export class SandboxManager extends EventEmitter {
  private readonly recs = new Map<string, Rec>();
  /** Warm pool: running, unowned sandboxes with a shell waiting; create() hands one out at once. */
  private readonly pool: Rec[] = [];
  private readonly filling = new Set<Rec>();
  private readonly runc: Runc;
  private readonly sandboxesDir: string;
  private readonly cgroupParent: string;
  private readonly idleMs: number;
  private readonly maxMs: number;
  private seccomp: OciSeccomp | null = null;
  private env: string[] = DEFAULT_ENV;
  private swapLimit = false;
  private initialized = false;
  private shuttingDown = false;
  private refillTimer?: NodeJS.Timeout;
  /** Owner-uid slots of live sandboxes, handed out round-robin so a freed one rests before reuse. */
  private readonly slots = new Set<number>();
  private nextSlot = 0;
  /** The throttle for the device holding the Snapshots; undefined when it is not a block device. */
  private blockIO?: { major: number; minor: number; bytesPerSecond: number; iops: number };

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
    this.idleMs = opts.idleTimeoutMs ?? cfg.SANDBOX_IDLE_MINUTES * 60_000;
    this.maxMs = opts.maxLifetimeMs ?? cfg.SANDBOX_MAX_MINUTES * 60_000;
  }

  /** Prepares the seccomp filter and removes every container, mount, cgroup and dir a crashed run left behind. */
  async init(): Promise<void> {
    const longest = consoleSocketPath(path.join(this.sandboxesDir, "0".repeat(16)), 999);
    if (Buffer.byteLength(longest) > MAX_SOCKET_PATH)
      throw new Error(
        `DATA_DIR is too long: the terminals' unix sockets under it (${longest}) must fit in ${MAX_SOCKET_PATH} bytes. Choose a shorter DATA_DIR.`,
      );
    await mkdir(this.runc.stateDir, { recursive: true });
    await mkdir(this.sandboxesDir, { recursive: true });
    if (!this.cfg.DEV_NO_SECCOMP) {
      const file = this.opts.seccompProfilePath ?? DEFAULT_SECCOMP_PROFILE;
      if (!existsSync(file))
        throw new Error(
          `Seccomp profile ${file} not found: install it with \`apt-get install golang-github-containers-common\` (or set DEV_NO_SECCOMP=1 for debugging only).`,
        );
      const profile = JSON.parse(await readFile(file, "utf8")) as EngineSeccompProfile;
      this.seccomp = translateSeccompProfile(profile, { capabilities: SANDBOX_CAPABILITIES, kernelRelease: os.release() });
    } else {
      this.log.warn("DEV_NO_SECCOMP is set: sandboxes run without a seccomp filter");
    }
    this.env = await this.imageEnv();
    this.swapLimit = swapLimitSupported();
    const lastOwner = sandboxOwnerUid(this.cfg.SANDBOX_UID_BASE, this.cfg.SANDBOX_UID_COUNT, this.slotRange() - 1);
    if (lastOwner > MAX_UID)
      throw new Error(
        `SANDBOX_UID_BASE + SANDBOX_UID_COUNT + 2 × SANDBOX_CAPACITY (${lastOwner}) is above the highest uid ${MAX_UID}: lower SANDBOX_UID_BASE.`,
      );
    // Fail here, with the reason, rather than at the first learner's sandbox.
    (await OwnedUserNamespace.create(this.userNsOptions(0))).release();
    await ensureHostLimits(this.cfg, this.log);
    await this.findBlockDevice();
    const left = await this.cleanLeftovers();
    if (left.containers + left.mounts + left.cgroups + left.dirs > 0) this.log.warn(left, "removed what an earlier run left behind");
    this.initialized = true;
    this.refillPool();
  }

  /** Owner uids: twice the capacity, so a sandbox still stopping never blocks a new one's slot. */
  private slotRange(): number {
    return 2 * this.cfg.SANDBOX_CAPACITY;
  }

  private takeSlot(): number {
    for (let i = 0; i < this.slotRange(); i++) {
      const slot = (this.nextSlot + i) % this.slotRange();
      if (!this.slots.has(slot)) {
        this.slots.add(slot);
        this.nextSlot = (slot + 1) % this.slotRange();
        return slot;
      }
    }
    throw new CapacityError(this.recs.size);
  }

  private userNsOptions(slot: number) {
    const { SANDBOX_UID_BASE: uidBase, SANDBOX_UID_COUNT: uidCount } = this.cfg;
    return { ownerUid: sandboxOwnerUid(uidBase, uidCount, slot), uidBase, uidCount };
  }

  /**
   * The Snapshots' device gets the block-I/O throttle: the writable layer is a tmpfs (memory), so the
   * disk a sandbox reaches is the one its image layers are read from (O_DIRECT reads included).
   */
  private async findBlockDevice(): Promise<void> {
    const dir = this.image.layers[0]?.snapshotDir ?? this.cfg.runnerDir;
    const dev = await blockDeviceOf(dir);
    if ("reason" in dev) {
      this.log.warn({ dir, reason: dev.reason }, "no block-I/O limit for sandboxes: the Snapshots are not on a block device");
      return;
    }
    this.blockIO = { ...dev, bytesPerSecond: this.cfg.SANDBOX_IO_MBPS * 1024 * 1024, iops: this.cfg.SANDBOX_IO_IOPS };
    this.log.info(
      { dir, device: `${dev.major}:${dev.minor}`, mbps: this.cfg.SANDBOX_IO_MBPS, iops: this.cfg.SANDBOX_IO_IOPS },
      "sandbox block-I/O limit",
    );
  }

  private async imageEnv(): Promise<string[]> {
    if (!this.image.configDigest) return DEFAULT_ENV;
    const [algo, hex] = this.image.configDigest.split(":");
    try {
      const cfg = JSON.parse(await readFile(path.join(this.image.layoutDir, "blobs", algo ?? "sha256", hex ?? ""), "utf8")) as {
        config?: { Env?: string[] };
      };
      const env = cfg.config?.Env ?? [];
      return env.some((e) => e.startsWith("PATH="))
        ? [...env, ...DEFAULT_ENV.filter((d) => !env.some((e) => e.split("=")[0] === d.split("=")[0]))]
        : DEFAULT_ENV;
    } catch {
      return DEFAULT_ENV;
    }
  }

  private async cleanLeftovers() {
    const count = { containers: 0, mounts: 0, cgroups: 0, dirs: 0 };
    for (const c of await this.runc.list().catch(() => [])) {
      await this.runc.delete(c.id).catch((e: unknown) => this.log.warn({ err: e, id: c.id }, "runc delete of a leftover failed"));
      count.containers++;
    }
    // State dirs runc could not read (a crash mid-create) are just files now that the cgroups go too.
    for (const d of await readdir(this.runc.stateDir).catch(() => []))
      await rm(path.join(this.runc.stateDir, d), { recursive: true, force: true });
    count.mounts = (await mountsUnder(this.sandboxesDir)).length;
    await unmountAll(this.sandboxesDir);
    count.cgroups = await removeAllSandboxCgroups(this.cgroupParent);
    for (const d of await readdir(this.sandboxesDir)) {
      await rm(path.join(this.sandboxesDir, d), { recursive: true, force: true });
      count.dirs++;
    }
    return count;
  }

  get capacity(): number {
    return this.cfg.SANDBOX_CAPACITY;
  }

  async create(owner: string, opts: CreateOptions = {}): Promise<SandboxInfo> {
    if (!this.initialized) throw new Error("SandboxManager.init() must finish before create().");
    if (this.shuttingDown) throw new ShuttingDownError();
    if (this.recs.size >= this.cfg.SANDBOX_CAPACITY) throw new CapacityError(this.recs.size);
    const pooled = this.pool.shift();
    if (pooled) {
      const now = Date.now();
      Object.assign(pooled.info, { owner, createdAt: now, lastActivityAt: now });
      if (pooled.prepared && ((opts.lang ?? POOL_LANG) !== POOL_LANG || opts.shell === false)) {
        // It greeted in another language: the first Terminal starts a fresh shell instead.
        pooled.prepared.kill();
        pooled.prepared = undefined;
      }
      this.recs.set(pooled.info.id, pooled);
      this.armTimers(pooled);
      // Not at once: starting a container takes a core for ~80 ms, just when this learner's browser
      // connects to the sandbox it got.
      this.refillTimer ??= setTimeout(() => {
        this.refillTimer = undefined;
        this.refillPool();
      }, POOL_REFILL_DELAY_MS).unref();
      return { ...pooled.info };
    }
    const rec = this.newRec(owner);
    this.recs.set(rec.info.id, rec);
    rec.ready = this.start(rec, true, opts.shell === false ? null : { lang: opts.lang });
    try {
      await rec.ready;
    } catch (e) {
      await this.stop(rec, "requested", false, false);
      throw e;
    }
    this.refillPool();
    return { ...rec.info };
  }

  private newRec(owner: string): Rec {
    const id = randomBytes(8).toString("hex");
    const now = Date.now();
    return {
      info: { id, owner, state: "creating", createdAt: now, lastActivityAt: now, hostname: sandboxHostname(id) },
      dir: path.join(this.sandboxesDir, id),
      cgroupsPath: cgroupsPathFor(this.cgroupParent, id),
      ready: Promise.resolve(),
      consoles: 0,
    };
  }

  /** Starts pool sandboxes until SANDBOX_POOL_SIZE are ready or filling, within SANDBOX_CAPACITY. */
  private refillPool(): void {
    const want = this.cfg.SANDBOX_POOL_SIZE;
    while (
      this.initialized &&
      !this.shuttingDown &&
      this.pool.length + this.filling.size < want &&
      this.recs.size + this.pool.length + this.filling.size < this.cfg.SANDBOX_CAPACITY
    ) {
      const rec = this.newRec("");
      this.filling.add(rec);
      rec.ready = this.start(rec, false, { lang: POOL_LANG });
      void rec.ready
        .then(
          () => {
            if (this.shuttingDown || this.recs.size + this.pool.length >= this.cfg.SANDBOX_CAPACITY)
              return this.stop(rec, "shutdown", false, false);
            this.pool.push(rec);
          },
          async (e: unknown) => {
            this.log.warn({ err: e }, "could not start a pool sandbox; the next create() starts one cold");
            await this.stop(rec, "requested", false, false);
          },
        )
        .finally(() => this.filling.delete(rec));
    }
  }

  /** A fresh unix socket path for one runc call. */
  private consolePath(rec: Rec): string {
    return consoleSocketPath(rec.dir, ++rec.consoles);
  }

  /** `shell`: start the first Terminal's shell with the container (null: none). */
  private async start(rec: Rec, arm: boolean, shell: { lang?: string } | null): Promise<void> {
    const rootfs = await mountSnapshot({
      dir: rec.dir,
      lowerDirs: this.image.layers.map((l) => l.snapshotDir),
      diskMb: this.cfg.SANDBOX_DISK_MB,
      uidBase: this.cfg.SANDBOX_UID_BASE,
    });
    rec.slot ??= this.takeSlot();
    const userns = await OwnedUserNamespace.create(this.userNsOptions(rec.slot));
    try {
      await this.startIn(rec, arm, shell, rootfs, userns);
    } finally {
      userns.release();
    }
  }

  private async startIn(
    rec: Rec,
    arm: boolean,
    shell: { lang?: string } | null,
    rootfs: string,
    userns: OwnedUserNamespace,
  ): Promise<void> {
    const started = Date.now();
    const mem = this.cfg.SANDBOX_MEMORY_MB * 1024 * 1024;
    const config = buildOciConfig({
      id: rec.info.id,
      hostname: rec.info.hostname,
      rootfs,
      uidBase: this.cfg.SANDBOX_UID_BASE,
      uidCount: this.cfg.SANDBOX_UID_COUNT,
      memoryBytes: mem,
      memorySwapBytes: this.swapLimit ? mem : undefined,
      pids: this.cfg.SANDBOX_PIDS,
      cpus: this.cfg.SANDBOX_CPUS,
      cgroupsPath: rec.cgroupsPath,
      userNamespacePath: userns.path,
      blockIO: this.blockIO,
      ociLayoutDir: existsSync(this.image.layoutDir) ? this.image.layoutDir : undefined,
      env: this.env,
      seccomp: this.seccomp,
      engineStorageMb: this.cfg.SANDBOX_ENGINE_MB,
      ...(shell ? { terminal: true, args: initWithTerminal(loginShellCommand(), this.shellVars(shell.lang)) } : {}),
    });
    validateOciConfig(config, { seccompRequired: !this.cfg.DEV_NO_SECCOMP });
    const bundle = path.join(rec.dir, "bundle");
    await mkdir(bundle, { recursive: true });
    await writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
    if (shell) {
      const socket = this.consolePath(rec);
      let initPid = 0;
      const master = await receivePtyMaster(socket, async () => {
        initPid = await this.runc.run(rec.info.id, bundle, { consoleSocket: socket });
      });
      rec.initPid = initPid;
      if (rec.info.state !== "creating") {
        closeMaster(master);
        return; // destroyed meanwhile
      }
      rec.prepared = new PreparedShell(new ContainerPty(master, PREPARED_SIZE));
    } else {
      rec.initPid = await this.runc.run(rec.info.id, bundle);
    }
    // Before anyone can type in it: create() has not returned yet, the pool has not handed it out.
    await userns.applyLimits();
    if (rec.info.state !== "creating") return; // destroyed meanwhile
    rec.info.state = transition(rec.info.state, "running");
    if (arm) this.armTimers(rec);
    this.log.debug({ id: rec.info.id, ms: Date.now() - started }, "sandbox running");
  }

  private armTimers(rec: Rec): void {
    clearTimeout(rec.idleTimer);
    rec.idleTimer = setTimeout(() => void this.stop(rec, "idle"), this.idleMs);
    rec.idleTimer.unref();
    if (!rec.maxTimer) {
      rec.maxTimer = setTimeout(() => void this.stop(rec, "expired"), Math.max(0, rec.info.createdAt + this.maxMs - Date.now()));
      rec.maxTimer.unref();
    }
  }

  get(id: string): SandboxInfo | undefined {
    const r = this.recs.get(id);
    return r ? { ...r.info } : undefined;
  }

  list(): SandboxInfo[] {
    return [...this.recs.values()].map((r) => ({ ...r.info }));
  }

  touch(id: string): void {
    const r = this.recs.get(id);
    if (!r || r.info.state !== "running") return;
    r.info.lastActivityAt = Date.now();
    this.armTimers(r);
  }

  /** Idempotent: destroying a gone or unknown sandbox resolves. */
  async destroy(id: string): Promise<void> {
    const r = this.recs.get(id);
    if (r) await this.stop(r, "requested");
  }

  /** `announce` false: a failed create is reported by its own rejection, not as a 'destroyed' event. */
  private stop(rec: Rec, reason: DestroyReason, waitReady = true, announce = true): Promise<void> {
    if (rec.stopping) return rec.stopping;
    rec.stopping = (async () => {
      if (waitReady) await rec.ready.catch(() => undefined);
      clearTimeout(rec.idleTimer);
      clearTimeout(rec.maxTimer);
      rec.info.state = transition(rec.info.state, "stopping");
      rec.prepared?.kill("SIGKILL");
      rec.prepared = undefined;
      try {
        await this.killInit(rec);
        await this.teardown(rec.info.id, rec.dir, rec.cgroupsPath);
      } catch (e) {
        this.log.error({ err: e, id: rec.info.id }, "sandbox teardown incomplete: the next init() will finish it");
      }
      rec.info.state = transition(rec.info.state, "gone");
      this.recs.delete(rec.info.id);
      if (rec.slot !== undefined) this.slots.delete(rec.slot);
      // A learner's sandbox freed capacity the pool may use (never after a pool start failed: no retry loop).
      if (rec.info.owner !== "") this.refillPool();
      if (announce) this.emit("destroyed", { id: rec.info.id, owner: rec.info.owner, reason } satisfies DestroyedEvent);
    })();
    return rec.stopping;
  }

  /**
   * SIGKILL the init directly and wait for it to die: the pid namespace dies with it. `runc delete
   * --force` alone does the same but polls every 100 ms; this halves the time of a destroy. The pid is
   * checked against the sandbox's cgroup first, in case the init exited and the pid was reused.
   */
  private async killInit(rec: Rec): Promise<void> {
    const pid = rec.initPid;
    if (!pid) return;
    const alive = async () => {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      return state !== "" && state !== "Z" && state !== "X";
    };
    const cg = await readFile(`/proc/${pid}/cgroup`, "utf8").catch(() => "");
    if (!inCgroup(cg, rec.cgroupsPath)) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      return;
    }
    for (let i = 0; i < 400 && (await alive()); i++) await new Promise((r) => setTimeout(r, 5));
  }

  private async teardown(id: string, dir: string, cgroupsPath: string): Promise<void> {
    await this.runc.delete(id);
    await unmountAll(dir);
    for (const mp of cgroupMountPoints()) await removeCgroup(path.join(mp, cgroupsPath));
    await rm(dir, { recursive: true, force: true });
  }

  private running(id: string): Rec {
    const r = this.recs.get(id);
    if (!r) throw new SandboxNotFoundError(id);
    if (r.info.state !== "running") throw new SandboxNotRunningError(id, r.info.state);
    return r;
  }

  /**
   * Runs a script non-interactively (a Check): `bash -c` with stderr merged into stdout inside, so
   * the output keeps its real order. runc runs in the foreground without a TTY: it copies the
   * container's stdio through pipes of its own, so no descriptor of the runner's ever crosses into
   * the sandbox; the exit status comes back as a trailer on stdout (see exec-status.ts). On timeout
   * or past the output cap the script and everything it started inside the sandbox are killed
   * (host descendants of the exec'd process, each checked to be in the sandbox's cgroup).
   */
  async exec(id: string, script: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const rec = this.running(id);
    this.touch(id);
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const maxOutput = opts.maxOutputBytes ?? 64 * 1024;
    const pidFile = path.join(rec.dir, `exec-${randomBytes(4).toString("hex")}.pid`);
    // Fresh per exec, so output from an earlier Check cannot end this one. The learner (root in their
    // own sandbox) can read it and forge the trailer: that changes their own Check's result only.
    const nonce = randomBytes(16).toString("hex");
    const scanner = new TrailerScanner(nonce);
    const args = this.runc.execArgs(id, execCommand(script, nonce), { pidFile });
    const started = Date.now();
    const cmd = this.runc.command(args);
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
      if (pid > 0)
        await killTree(pid, rec.cgroupsPath).catch((e: unknown) => this.log.warn({ err: e, id }, "exec: could not kill the script"));
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
    this.touch(id);
    let output = Buffer.concat(chunks).toString("utf8");
    // runc's own failure (e.g. the sandbox died) is not the script's output, but the caller must see
    // it; once the wrapper reported, stderr held only what the sandbox wrote there.
    if (exitCode !== 0 && runcErr.length > 0 && !timedOut && !truncated && scanner.exitStatus === undefined)
      output += runcErr.toString("utf8");
    return { exitCode, output, durationMs: Date.now() - started, timedOut, truncated };
  }

  /**
   * A login shell on a PTY inside the sandbox: the one started with the container if it is still
   * waiting, else a new one from `runc exec --detach --tty`. Either way runc made the PTY in the
   * container and sent its master here; resizing sets the window size on it directly.
   */
  async spawnTerminal(id: string, opts: { cols: number; rows: number }): Promise<PtyLike> {
    const rec = this.running(id);
    this.touch(id);
    const prepared = rec.prepared;
    rec.prepared = undefined;
    if (prepared && !prepared.exited) {
      prepared.resize(opts.cols, opts.rows);
      return prepared;
    }
    const socket = this.consolePath(rec);
    const master = await receivePtyMaster(socket, () =>
      this.runc.execDetachedTty(id, loginShellCommand(), { consoleSocket: socket, env: this.shellVars() }),
    );
    if (rec.info.state !== "running") {
      closeMaster(master);
      throw new SandboxNotRunningError(id, rec.info.state);
    }
    return new ContainerPty(master, opts);
  }

  /** The terminal shell's environment on top of the Image's. */
  private shellVars(lang?: string): string[] {
    return ["TERM=xterm-256color", "HOME=/root", ...(lang ? [`CURSO_LANG=${lang}`] : [])];
  }

  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    clearTimeout(this.refillTimer);
    // Pool sandboxes still starting are stopped by their own start handler once it sees shuttingDown.
    const filling = [...this.filling];
    await Promise.all(filling.map((r) => r.ready.catch(() => undefined)));
    await new Promise((r) => setImmediate(r));
    await Promise.all(filling.map((r) => r.stopping ?? this.stop(r, "shutdown", false, false)));
    const pooled = this.pool.splice(0);
    await Promise.all(
      [...this.recs.values()].map((r) => this.stop(r, "shutdown")).concat(pooled.map((r) => this.stop(r, "shutdown", true, false))),
    );
    // The parent cgroup is ours too: an empty one left in every controller per runner dir adds up
    // (each CLI run has its own runner dir).
    await removeAllSandboxCgroups(this.cgroupParent).catch((e: unknown) =>
      this.log.warn({ err: e }, "could not remove the sandboxes' parent cgroup"),
    );
  }
}

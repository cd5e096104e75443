/**
 * Three (or more) simulated runner hosts on this machine: each runner runs in a network namespace
 * of its own (own address on a bridge this harness creates), with its own DATA_DIR and uid range,
 * as on separate machines. The app and the tests stay in the root namespace and reach the runners
 * over the bridge. Everything created is removed by `stop()`, by a process-exit hook if the test
 * process dies first, and (names carry the owning pid) by the next run if both were skipped.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { loadRunnerConfig, type RunnerConfig } from "../../sandbox-runner/src/config/config";
import { ensureImage } from "../../sandbox-runner/src/image/index";
import { leftovers, NOTHING_LEFT } from "../../sandbox-runner/test/leftovers";
import { TEST_DATA_DIR, testConfig, testImage } from "../../sandbox-runner/test/image-fixture";
import { freeSubnet, ownerPid, planFleet, PREFIX, type FleetPlan, type HostPlan } from "./plan";

export const RUNNER_PORT = 3001;
const REPO = path.resolve(TEST_DATA_DIR, "../..");

function ip(...args: string[]): void {
  const r = spawnSync("ip", args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${r.stderr.trim() || r.error?.message}`);
}
const ipQuiet = (...args: string[]) => spawnSync("ip", args, { encoding: "utf8" });
const alive = (c: ChildProcess | undefined) => !!c && c.exitCode === null && c.signalCode === null;
const pidAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Removes the namespaces and bridges of harness runs whose process is gone. */
export function removeStaleNetworks(): string[] {
  const removed: string[] = [];
  const netns = ipQuiet("netns", "list")
    .stdout.split("\n")
    .map((l) => l.split(" ")[0] ?? "");
  for (const ns of netns) {
    const pid = ownerPid(ns);
    if (ns.startsWith(PREFIX) && pid && !pidAlive(pid) && ipQuiet("netns", "del", ns).status === 0) removed.push(ns);
  }
  const links = ipQuiet("-o", "link", "show")
    .stdout.split("\n")
    .map((l) => l.split(": ")[1]?.split("@")[0] ?? "");
  for (const l of links) {
    const pid = ownerPid(l);
    if (l.startsWith(PREFIX) && pid && !pidAlive(pid) && ipQuiet("link", "del", l).status === 0) removed.push(l);
  }
  return removed;
}

function createNetwork(plan: FleetPlan): void {
  ip("link", "add", plan.bridge, "type", "bridge");
  ip("addr", "add", `${plan.gateway}/${plan.prefix}`, "dev", plan.bridge);
  ip("link", "set", plan.bridge, "up");
  for (const h of plan.hosts) {
    ip("netns", "add", h.netns);
    ip("link", "add", h.veth, "type", "veth", "peer", "name", "eth0", "netns", h.netns);
    ip("link", "set", h.veth, "master", plan.bridge, "up");
    ip("-n", h.netns, "addr", "add", `${h.address}/${plan.prefix}`, "dev", "eth0");
    ip("-n", h.netns, "link", "set", "eth0", "up");
    ip("-n", h.netns, "link", "set", "lo", "up");
  }
}

/** Synchronous, idempotent: safe in an exit hook. Deleting a namespace deletes its veth pair. */
function removeNetwork(plan: FleetPlan): void {
  for (const h of plan.hosts) ipQuiet("netns", "del", h.netns);
  ipQuiet("link", "del", plan.bridge);
}

export interface RunnerHost extends HostPlan {
  url: string;
  wsUrl: string;
  cfg: RunnerConfig;
  child?: ChildProcess;
  stderr: string;
  alive(): boolean;
  /** Starts the runner in its namespace and waits for /healthz. */
  start(): Promise<void>;
  /** SIGTERM (the runner destroys its sandboxes) and wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL: the host "dies"; its sandboxes stay behind until the runner starts again. */
  kill(): Promise<void>;
}

export interface FleetOptions {
  hosts?: number;
  /** The app's public key (PEM): every runner checks tokens with it (APP_PUBLIC_KEY). */
  publicKey: string;
  /** Extra environment for every runner (limits, capacity). */
  env?: Record<string, string>;
  /** Extra environment per runner name. */
  envFor?: Record<string, Record<string, string>>;
}

export interface Fleet {
  plan: FleetPlan;
  hosts: RunnerHost[];
  host(name: string): RunnerHost;
  stop(): Promise<void>;
}

/**
 * Each host gets its own copy of the test Image: the OCI layout hard-linked from the shared test
 * Image (no rebuild), the snapshots unpacked with the host's own uid shift (kept across runs).
 * Done in the root namespace, where the Image builder can reach Debian's mirror if it must build.
 */
async function prepareImage(cfg: RunnerConfig): Promise<void> {
  const shared = testConfig();
  await testImage(shared);
  const sharedLayout = fs.realpathSync(path.join(shared.runnerDir, "image/oci"));
  const mine = path.join(cfg.runnerDir, "image/oci");
  const stamp = path.join(sharedLayout, "index.json");
  const same =
    fs.existsSync(path.join(mine, "index.json")) &&
    fs.readFileSync(path.join(mine, "index.json"), "utf8") === fs.readFileSync(stamp, "utf8");
  if (!same) {
    fs.rmSync(mine, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(mine), { recursive: true });
    const r = spawnSync("cp", ["-al", sharedLayout, mine], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`could not link the test Image into ${mine}: ${r.stderr}`);
  }
  await ensureImage({ runnerDir: cfg.runnerDir, uidBase: cfg.SANDBOX_UID_BASE, uidCount: cfg.SANDBOX_UID_COUNT });
}

export async function startFleet(opts: FleetOptions): Promise<Fleet> {
  removeStaleNetworks();
  const inUse = ipQuiet("-o", "-4", "addr", "show")
    .stdout.split("\n")
    .map((l) => l.split(/\s+/)[3] ?? "");
  const capacity = Number(opts.env?.SANDBOX_CAPACITY ?? 8);
  const plan = planFleet({ pid: process.pid, subnet: freeSubnet(inUse, process.pid % 256), hosts: opts.hosts ?? 3, capacity });
  const exitHook = () => removeNetwork(plan);
  process.once("exit", exitHook);
  createNetwork(plan);

  const hosts: RunnerHost[] = plan.hosts.map((h) => {
    const env: Record<string, string> = {
      // Beside the test DATA_DIR, not inside it: a runner tightens its DATA_DIR to 0710 for its own
      // sandbox uid range, which would shut out every other host's uids (another range each).
      DATA_DIR: path.join(TEST_DATA_DIR, "..", "test-fleet", h.name),
      RUNNER_HOST: "0.0.0.0",
      RUNNER_PORT: String(RUNNER_PORT),
      APP_PUBLIC_KEY: opts.publicKey,
      RUNNER_NAME: h.name,
      SANDBOX_UID_BASE: String(h.uidBase),
      SANDBOX_CAPACITY: String(capacity),
      SANDBOX_MEMORY_MB: "64",
      SANDBOX_PIDS: "64",
      SANDBOX_DISK_MB: "16",
      LOG_LEVEL: "warn",
      ...opts.env,
      ...opts.envFor?.[h.name],
    };
    const cfg = loadRunnerConfig({ ...process.env, ...env });
    const host: RunnerHost = {
      ...h,
      url: `http://${h.address}:${RUNNER_PORT}`,
      wsUrl: `ws://${h.address}:${RUNNER_PORT}`,
      cfg,
      stderr: "",
      alive: () => alive(host.child),
      async start() {
        // nsenter joins only the network namespace: `ip netns exec` would also remount /sys and
        // hide the cgroup filesystems the runner needs.
        const child = spawn(
          "nsenter",
          [`--net=/run/netns/${h.netns}`, "--", process.execPath, "--import", "tsx", path.join(REPO, "sandbox-runner/src/main.ts")],
          { cwd: REPO, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] },
        );
        host.child = child;
        host.stderr = "";
        child.stderr!.on("data", (d: Buffer) => (host.stderr += d.toString()));
        const until = Date.now() + 180_000;
        for (;;) {
          if (!alive(child))
            throw new Error(`runner ${h.name} exited (${child.exitCode ?? child.signalCode}) before answering: ${host.stderr}`);
          const ok = await fetch(`${host.url}/healthz`, { signal: AbortSignal.timeout(5000) }).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) return;
          if (Date.now() > until) throw new Error(`runner ${h.name} did not answer /healthz within 3 minutes: ${host.stderr}`);
          await sleep(200);
        }
      },
      async stop() {
        const c = host.child;
        if (!alive(c)) return;
        const exited = new Promise((r) => c!.once("exit", r));
        c!.kill("SIGTERM");
        await Promise.race([exited, sleep(30_000)]);
        if (alive(c)) {
          c!.kill("SIGKILL");
          await exited;
        }
      },
      async kill() {
        const c = host.child;
        if (!alive(c)) return;
        const exited = new Promise((r) => c!.once("exit", r));
        c!.kill("SIGKILL");
        await exited;
      },
    };
    return host;
  });

  const fleet: Fleet = {
    plan,
    hosts,
    host: (name) => {
      const h = hosts.find((x) => x.name === name);
      if (!h) throw new Error(`no host ${name} in this fleet (${hosts.map((x) => x.name).join(", ")})`);
      return h;
    },
    async stop() {
      try {
        await Promise.all(hosts.map((h) => h.stop()));
        // A host that was killed left its sandboxes: a runner's start removes them, its stop too.
        for (const h of hosts) {
          const left = await leftovers(h.cfg);
          if (JSON.stringify(left) === JSON.stringify(NOTHING_LEFT)) continue;
          await h.start().catch(() => {});
          await h.stop();
        }
      } finally {
        removeNetwork(plan);
        process.removeListener("exit", exitHook);
      }
    },
  };
  try {
    for (const h of hosts) await prepareImage(h.cfg);
    await Promise.all(hosts.map((h) => h.start()));
  } catch (e) {
    await fleet.stop();
    throw e;
  }
  return fleet;
}

/**
 * Where sandboxes' cgroups live, on cgroup v1 (one hierarchy per controller, these machines) and v2
 * (one unified hierarchy). runc creates and limits them; this file only finds and removes leftovers.
 */
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { createHash } from "node:crypto";

export type CgroupVersion = 1 | 2;

export function detectCgroupVersion(root = "/sys/fs/cgroup"): CgroupVersion {
  return existsSync(path.join(root, "cgroup.controllers")) ? 2 : 1;
}

/** Swap accounting on v1 needs memory.memsw.*; without it a swap limit makes runc fail. */
export function swapLimitSupported(root = "/sys/fs/cgroup"): boolean {
  return detectCgroupVersion(root) === 2 ? true : existsSync(path.join(root, "memory/memory.memsw.limit_in_bytes"));
}

/**
 * One parent cgroup per runner data dir, so a test runner and a dev runner on the same host never
 * clean each other's sandboxes.
 */
export function cgroupParentFor(runnerDir: string): string {
  return `aprendendo-${createHash("sha256").update(path.resolve(runnerDir)).digest("hex").slice(0, 10)}`;
}

export function cgroupsPathFor(parent: string, id: string): string {
  return `/${parent}/${id}`;
}

/** Every cgroup hierarchy mount point on this host (v1 controllers, v2 or hybrid "unified"). */
export function cgroupMountPoints(mountinfo = readFileSync("/proc/self/mountinfo", "utf8")): string[] {
  const points: string[] = [];
  for (const line of mountinfo.split("\n")) {
    const [pre, post] = line.split(" - ");
    if (!pre || !post) continue;
    const fstype = post.split(" ")[0];
    if (fstype === "cgroup" || fstype === "cgroup2") points.push(unescapeMount(pre.split(" ")[4] ?? ""));
  }
  return points.filter(Boolean);
}

export function unescapeMount(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)));
}

/** Sandbox cgroup dirs under our parent, in every hierarchy. */
export async function listSandboxCgroups(parent: string): Promise<string[]> {
  const found: string[] = [];
  for (const mp of cgroupMountPoints()) {
    const dir = path.join(mp, parent);
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) if (e.isDirectory()) found.push(path.join(dir, e.name));
  }
  return found;
}

/** Kills what is still in a cgroup, then removes it (children first). Tolerates it being gone. */
export async function removeCgroup(dir: string): Promise<void> {
  const children = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const c of children) if (c.isDirectory()) await removeCgroup(path.join(dir, c.name));
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === "ENOENT") return;
      if (code !== "EBUSY") throw e;
    }
    await killCgroupProcesses(dir);
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`Cannot remove cgroup ${dir}: processes keep running in it. Check \`cat ${dir}/cgroup.procs\`.`);
}

async function killCgroupProcesses(dir: string): Promise<void> {
  // v2 has a one-shot kill; v1 needs each pid (a frozen cgroup must be thawed to let SIGKILL land).
  if (
    await writeFile(path.join(dir, "cgroup.kill"), "1").then(
      () => true,
      () => false,
    )
  )
    return;
  await writeFile(path.join(dir, "freezer.state"), "THAWED").catch(() => undefined);
  const procs = await readFile(path.join(dir, "cgroup.procs"), "utf8").catch(() => "");
  for (const pid of procs.split("\n").filter(Boolean)) {
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      /* already gone */
    }
  }
}

/** Removes every sandbox cgroup under our parent and the parent itself. */
export async function removeAllSandboxCgroups(parent: string): Promise<number> {
  const dirs = await listSandboxCgroups(parent);
  for (const d of dirs) await removeCgroup(d);
  for (const mp of cgroupMountPoints()) await rmdir(path.join(mp, parent)).catch(() => undefined);
  return dirs.length;
}

/**
 * Lets a sandbox's cgroup bank unused CPU time up to `burstUs` (cgroup v1 `cpu.cfs_burst_us`, v2
 * `cpu.max.burst`; kernel 5.14+). Why: a learner's sandbox is idle most of the time and then runs a
 * Check or a command of a few tens of ms; with the bare quota (50 ms per 100 ms period at 0.5 cores)
 * such a burst can run out of quota mid-way and wait for the next period (seen for a fresh sandbox's
 * first commands; the load ramp's Check tail was not this: bench/load/README.md). The long-run share
 * is unchanged (a fork bomb or a busy loop still gets SANDBOX_CPUS on average). runc 1.1 ignores the spec's `cpu.burst`, so the runner writes the file
 * itself once the container runs. Returns false where the kernel has no such file (nothing written).
 */
export async function applyCpuBurst(cgroupsPath: string, burstUs: number): Promise<boolean> {
  if (burstUs <= 0) return false;
  for (const mp of cgroupMountPoints()) {
    for (const file of ["cpu.cfs_burst_us", "cpu.max.burst"]) {
      const target = path.join(mp, cgroupsPath, file);
      if (!existsSync(target)) continue;
      await writeFile(target, String(burstUs));
      return true;
    }
  }
  return false;
}

/** A v1 cpu.shares value for `weight` host processes' worth (1024 each), in the kernel's range. Pure. */
export function parentCpuShares(weight: number): number {
  return Math.min(262_144, Math.max(2, Math.round(weight * 1024)));
}

/** The v2 cpu.weight for the same (100 each, 1–10000). Pure. */
export function parentCpuWeightV2(weight: number): number {
  return Math.min(10_000, Math.max(1, Math.round(weight * 100)));
}

/**
 * Creates the sandboxes' parent cgroup in the cpu hierarchy (runc puts each sandbox below it) and
 * gives it `weight` host processes' worth of CPU under contention. Why: the kernel schedules the
 * parent as ONE entity against every host process, so by default all learners' Checks and shells
 * together weigh as much as one runner thread; under load their Checks waited on the CPU (measured:
 * bench/load/README.md). Returns the file written, or null where no cpu controller is found.
 */
export async function setSandboxesCpuWeight(parent: string, weight: number): Promise<string | null> {
  for (const mp of cgroupMountPoints()) {
    const v1 = path.join(mp, "cpu.shares");
    const v2 = path.join(mp, "cgroup.subtree_control");
    if (existsSync(v1)) {
      await mkdir(path.join(mp, parent), { recursive: true });
      const f = path.join(mp, parent, "cpu.shares");
      await writeFile(f, String(parentCpuShares(weight)));
      return f;
    }
    if (existsSync(v2) && (await readFile(v2, "utf8")).split(/\s+/).includes("cpu")) {
      await mkdir(path.join(mp, parent), { recursive: true });
      const f = path.join(mp, parent, "cpu.weight");
      await writeFile(f, String(parentCpuWeightV2(weight)));
      return f;
    }
  }
  return null;
}

/**
 * What a runner's sandboxes may leave on the host, scoped to one runner dir (other runners and other
 * helpers' containers on the same host are not ours to count).
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RunnerConfig } from "../src/config/config";
import { cgroupParentFor, listSandboxCgroups } from "../src/container/cgroups";
import { mountsUnder } from "../src/container/mounts";
import { Runc } from "../src/container/runc";

export interface Leftovers {
  processes: number[];
  mounts: string[];
  cgroups: string[];
  dirs: string[];
  containers: string[];
}

/** Host pids (zombies excepted: they have exited, only their parent's wait() is pending) whose cgroup path names this runner's cgroup parent. */
export async function sandboxProcesses(cfg: RunnerConfig): Promise<number[]> {
  const parent = cgroupParentFor(cfg.runnerDir);
  const pids: number[] = [];
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const cg = await readFile(`/proc/${name}/cgroup`, "utf8").catch(() => "");
    if (!cg.includes(`/${parent}/`)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    if (process.env.H2_DEBUG_LEFTOVERS) console.error("leftover", name, stat.slice(0, 120), cg.replace(/\n/g, " | "));
    if (state && state !== "Z" && state !== "X") pids.push(Number(name));
  }
  return pids;
}

export async function leftovers(cfg: RunnerConfig): Promise<Leftovers> {
  const sandboxes = path.join(cfg.runnerDir, "sandboxes");
  const runc = new Runc(cfg.RUNC_BINARY, path.join(cfg.runnerDir, "runc"));
  return {
    processes: await sandboxProcesses(cfg),
    mounts: await mountsUnder(sandboxes),
    cgroups: await listSandboxCgroups(cgroupParentFor(cfg.runnerDir)),
    dirs: await readdir(sandboxes).catch(() => []),
    containers: (await runc.list().catch(() => [])).map((c) => c.id),
  };
}

export const NOTHING_LEFT: Leftovers = { processes: [], mounts: [], cgroups: [], dirs: [], containers: [] };

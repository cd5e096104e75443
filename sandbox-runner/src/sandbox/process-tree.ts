/**
 * Finds and kills a sandbox process and all its descendants (an exec's whole tree, on timeout or
 * at the output cap). The runner is root on the host: a pid it read earlier (the exec's pid file)
 * may by now belong to a host process if the sandbox's one exited, so each pid is signalled only
 * if its /proc/<pid>/cgroup places it in that sandbox's cgroup.
 */
import { readdir, readFile } from "node:fs/promises";

/**
 * Whether a /proc/<pid>/cgroup text places the process in the cgroup `cgroupsPath` (the runc
 * cgroupsPath, e.g. /aprendendo-1a2b3c/<id>) or below it, in any hierarchy: v1 lines
 * (`4:memory:/path`), the v2 line (`0::/path`), or both on a hybrid host. Only the host's root (runc)
 * can put a process there, and a sandbox cannot leave it, so one line is proof enough.
 */
export function inCgroup(procCgroup: string, cgroupsPath: string): boolean {
  if (!/^(\/[^/\n]+)+$/.test(cgroupsPath) || cgroupsPath.split("/").some((p) => p === "." || p === ".."))
    throw new Error(`cgroupsPath must be an absolute cgroup path below the root, got ${JSON.stringify(cgroupsPath)}`);
  for (const line of procCgroup.split("\n")) {
    const m = /^\d+:[^:]*:(\/.*)$/.exec(line);
    if (!m) continue;
    const p = m[1]!;
    if (p === cgroupsPath || p.startsWith(cgroupsPath + "/")) return true;
  }
  return false;
}

export async function descendants(root: number): Promise<number[]> {
  const children = new Map<number, number[]>();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, "utf8").catch(() => "");
    // comm may contain spaces and parentheses: the ppid is the 2nd field after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (!Number.isFinite(ppid)) continue;
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length) {
    const p = queue.shift()!;
    for (const c of children.get(p) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/** Whether host pid `pid` is (still) a process of the sandbox whose cgroup is `cgroupsPath`. */
export async function isSandboxProcess(pid: number, cgroupsPath: string): Promise<boolean> {
  const text = await readFile(`/proc/${pid}/cgroup`, "utf8").catch(() => "");
  return inCgroup(text, cgroupsPath);
}

/**
 * SIGKILLs `root` and its descendants that are in the sandbox's cgroup; nothing if `root` is not
 * (its pid was reused: its descendants are the host's). Returns the pids signalled. Between the
 * check and the signal a pid could still be freed and reused; that window is a few microseconds,
 * against the seconds a learner would need to cycle through the host's pid space.
 */
export async function killTree(root: number, cgroupsPath: string): Promise<number[]> {
  if (!(await isSandboxProcess(root, cgroupsPath))) return [];
  const killed: number[] = [];
  for (const pid of [root, ...(await descendants(root))]) {
    if (!(await isSandboxProcess(pid, cgroupsPath))) continue;
    try {
      process.kill(pid, "SIGKILL");
      killed.push(pid);
    } catch {
      /* already gone */
    }
  }
  return killed;
}

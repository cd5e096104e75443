/** Resident memory of a process and its descendants, from /proc (Linux). */
import { readdirSync, readFileSync } from "node:fs";

export function rssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** pid → parent pid for every process now. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      out.set(Number(d), ppid);
    } catch {
      /* exited */
    }
  }
  return out;
}

export function descendants(pid: number): number[] {
  const pp = parents();
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift()!;
    for (const [c, parent] of pp) {
      if (parent !== p) continue;
      found.push(c);
      queue.push(c);
    }
  }
  return found;
}

/** RSS of `pid` alone and of its whole tree (children such as `runc exec` relays included). */
export function treeRssKiB(pid: number): { self: number; tree: number; processes: number } {
  const kids = descendants(pid);
  const self = rssKiB(pid);
  return { self, tree: self + kids.reduce((a, k) => a + rssKiB(k), 0), processes: 1 + kids.length };
}

/** Samples `fn` every `ms` until stopped; returns the samples. */
export function sampler<T>(fn: () => T, ms: number): { stop(): T[] } {
  const xs: T[] = [fn()];
  const t = setInterval(() => xs.push(fn()), ms);
  return {
    stop() {
      clearInterval(t);
      xs.push(fn());
      return xs;
    },
  };
}

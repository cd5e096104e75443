/**
 * What the host did during a load step, beyond the 1-minute load average (which lags a 20 s step):
 * the share of CPU time busy (from /proc/stat) and how often the sandboxes' CPU limit held them back
 * (cgroup v1 `cpu.stat` of every sandbox: throttled periods and time). Sampled every half second,
 * so a sandbox torn down before the end still counts. The arithmetic is pure (below); the reading is
 * the I/O part.
 */
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

export interface CpuTimes {
  busy: number;
  total: number;
}

export interface Throttle {
  periods: number;
  throttled: number;
  throttledUs: number;
}

export interface HostSample {
  cpu: CpuTimes;
  /** Per sandbox cgroup path: its cumulative counters. */
  cgroups: Map<string, Throttle>;
  /**
   * Cumulative CPU seconds of who shares the machine during a step: the simulated learners (this
   * process), the runner (with the runtime processes it waited for), the sandboxes (their parents'
   * cpuacct, which keeps what ended sandboxes used). Absent in older samples.
   */
  who?: CpuWho;
  /** When it was taken (s, monotonic) and how many CPUs the machine has, for the shares. */
  wallS?: number;
  cpus?: number;
}

export interface CpuWho {
  simulator: number;
  runner: number;
  sandboxes: number;
}

export interface HostSummary {
  /** Busy share of all CPUs over the step, 0..1. */
  cpuBusy: number;
  /** Of the sandboxes' CFS periods with work in them, how many ran out of quota. */
  throttledPeriods: number;
  periods: number;
  /** Time the sandboxes' processes waited for their next period, in total (ms). */
  throttledMs: number;
  /** Each one's share of all CPUs over the step, 0..1 (when sampled). */
  share?: CpuWho;
}

/** The first line of /proc/stat → busy and total jiffies (iowait counts as idle). Pure. */
export function parseProcStat(text: string): CpuTimes {
  const f = text.split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0);
  return { busy: total - idle, total };
}

/** /proc/<pid>/stat → CPU seconds of the process and the children it waited for. Pure. */
export function parsePidStat(text: string, ticksPerSecond = 100): number {
  // The command name (field 2) is in parentheses and may hold spaces: count from after it.
  const f = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // utime, stime, cutime, cstime are fields 14–17, i.e. 11–14 after the name.
  return [11, 12, 13, 14].reduce((a, i) => a + Number(f[i] ?? 0), 0) / ticksPerSecond;
}

/** A cgroup v1 cpu.stat → its counters. Pure. */
export function parseCpuStat(text: string): Throttle {
  const v = (k: string) => Number(new RegExp(`^${k} (\\d+)$`, "m").exec(text)?.[1] ?? 0);
  return { periods: v("nr_periods"), throttled: v("nr_throttled"), throttledUs: Math.round(v("throttled_time") / 1000) };
}

/**
 * From the first and every later sample of a step: CPU busy share, and the sandboxes' throttling
 * (each cgroup from its first sight — 0 when it appeared during the step — to its last). Pure.
 */
export function summarizeHost(samples: readonly HostSample[]): HostSummary {
  const first = samples[0]!;
  const last = samples.at(-1)!;
  const dt = last.cpu.total - first.cpu.total;
  const seen = new Map<string, { from: Throttle; to: Throttle }>();
  for (const s of samples) {
    for (const [p, t] of s.cgroups) {
      const e = seen.get(p);
      if (e) e.to = t;
      else seen.set(p, { from: first.cgroups.get(p) ?? { periods: 0, throttled: 0, throttledUs: 0 }, to: t });
    }
  }
  let periods = 0;
  let throttled = 0;
  let us = 0;
  for (const { from, to } of seen.values()) {
    periods += to.periods - from.periods;
    throttled += to.throttled - from.throttled;
    us += to.throttledUs - from.throttledUs;
  }
  const out: HostSummary = {
    cpuBusy: dt > 0 ? Math.round(((last.cpu.busy - first.cpu.busy) / dt) * 100) / 100 : 0,
    throttledPeriods: throttled,
    periods,
    throttledMs: Math.round(us / 1000),
  };
  if (first.who && last.who && first.wallS !== undefined && last.wallS !== undefined && last.wallS > first.wallS) {
    // Shares of the whole machine (all CPUs) over the step, comparable with cpuBusy.
    const all = (last.wallS - first.wallS) * (first.cpus ?? 1);
    const share = (k: keyof CpuWho) => Math.round(((last.who![k] - first.who![k]) / all) * 100) / 100;
    out.share = { simulator: share("simulator"), runner: share("runner"), sandboxes: share("sandboxes") };
  }
  return out;
}

const CPU_ROOT = "/sys/fs/cgroup/cpu";
const CPUACCT_ROOT = "/sys/fs/cgroup/cpuacct";

async function readWho(runnerPid: number): Promise<CpuWho> {
  const u = process.cpuUsage();
  const runner = parsePidStat(await readFile(`/proc/${runnerPid}/stat`, "utf8").catch(() => ""));
  let sandboxes = 0;
  const parents = (await readdir(CPUACCT_ROOT).catch(() => [] as string[])).filter((n) => n.startsWith("aprendendo-"));
  for (const parent of parents) {
    const ns = await readFile(path.join(CPUACCT_ROOT, parent, "cpuacct.usage"), "utf8").catch(() => "0");
    sandboxes += Number(ns.trim()) / 1e9;
  }
  return { simulator: (u.user + u.system) / 1e6, runner, sandboxes };
}

/** One sample: /proc/stat and the cpu.stat of every sandbox under the runner's cgroup parents. */
export async function readHostSample(runnerPid?: number): Promise<HostSample> {
  const cpu = parseProcStat(await readFile("/proc/stat", "utf8"));
  const cgroups = new Map<string, Throttle>();
  const parents = (await readdir(CPU_ROOT).catch(() => [] as string[])).filter((n) => n.startsWith("aprendendo-"));
  for (const parent of parents) {
    for (const child of await readdir(path.join(CPU_ROOT, parent), { withFileTypes: true }).catch(() => [])) {
      if (!child.isDirectory()) continue;
      const p = path.join(CPU_ROOT, parent, child.name);
      const text = await readFile(path.join(p, "cpu.stat"), "utf8").catch(() => null);
      if (text !== null) cgroups.set(p, parseCpuStat(text));
    }
  }
  if (runnerPid === undefined) return { cpu, cgroups };
  return { cpu, cgroups, who: await readWho(runnerPid), wallS: performance.now() / 1000, cpus: os.availableParallelism() };
}

/** Samples every `everyMs` until stopped; `stop()` takes a last sample and summarizes. */
export function sampleHost(everyMs = 500, runnerPid?: number): { stop(): Promise<HostSummary> } {
  const samples: HostSample[] = [];
  let busy: Promise<void> = readHostSample(runnerPid).then((s) => void samples.push(s));
  const timer = setInterval(() => {
    busy = busy.then(() => readHostSample(runnerPid).then((s) => void samples.push(s)));
  }, everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await busy;
      samples.push(await readHostSample(runnerPid));
      return summarizeHost(samples);
    },
  };
}

import { describe, expect, it } from "vitest";
import { parseCpuStat, parsePidStat, parseProcStat, summarizeHost, type HostSample } from "./host-sample";

const t = (periods: number, throttled: number, throttledUs: number) => ({ periods, throttled, throttledUs });

describe("host sample", () => {
  it("reads /proc/stat's first line: iowait is idle", () => {
    expect(parseProcStat("cpu  100 5 50 800 40 1 4 0 0 0\ncpu0 1 2 3\n")).toEqual({ busy: 160, total: 1000 });
  });

  it("reads a cgroup v1 cpu.stat (throttled_time is in ns)", () => {
    expect(parseCpuStat("nr_periods 35\nnr_throttled 2\nthrottled_time 39297115\nnr_bursts 0\n")).toEqual(t(35, 2, 39297));
  });

  it("counts a sandbox that appeared and one that vanished during the step, each from its first sight", () => {
    const samples: HostSample[] = [
      {
        cpu: { busy: 100, total: 1000 },
        cgroups: new Map([
          ["/a", t(10, 1, 1000)],
          ["/gone", t(5, 0, 0)],
        ]),
      },
      {
        cpu: { busy: 300, total: 1400 },
        cgroups: new Map([
          ["/a", t(20, 3, 61000)],
          ["/gone", t(9, 2, 4000)],
          ["/new", t(4, 1, 5000)],
        ]),
      },
      {
        cpu: { busy: 500, total: 2000 },
        cgroups: new Map([
          ["/a", t(30, 4, 81000)],
          ["/new", t(8, 2, 15000)],
        ]),
      },
    ];
    expect(summarizeHost(samples)).toEqual({ cpuBusy: 0.4, periods: 20 + 4 + 8, throttledPeriods: 3 + 2 + 2, throttledMs: 80 + 4 + 15 });
  });

  it("reads a process's CPU from /proc/<pid>/stat, its own and its waited children's, past a name with spaces", () => {
    const stat = "4242 (node (runner) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 30 20 20 0 11 0 123 0 0";
    expect(parsePidStat(stat)).toBe(3.5);
    expect(parsePidStat("")).toBe(0);
  });

  it("splits the step's CPU by who used it, as shares of all CPUs", () => {
    const base = { cpu: { busy: 0, total: 0 }, cgroups: new Map(), cpus: 2 };
    const samples: HostSample[] = [
      { ...base, wallS: 100, who: { simulator: 1, runner: 2, sandboxes: 3 } },
      { ...base, wallS: 110, who: { simulator: 5, runner: 4, sandboxes: 13 } },
    ];
    // 10 s on 2 CPUs = 20 CPU-seconds: the simulator used 4, the runner 2, the sandboxes 10.
    expect(summarizeHost(samples).share).toEqual({ simulator: 0.2, runner: 0.1, sandboxes: 0.5 });
  });
});

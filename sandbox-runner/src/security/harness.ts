/**
 * Host-side helpers for the escape, abuse and fault suites: reading a sandbox's cgroup from the host,
 * measuring how responsive the host's event loop stays, raw HTTP requests whose paths nobody
 * normalises (fetch and URL would turn `..` into nothing before the runner ever saw it).
 */
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { cgroupMountPoints, cgroupParentFor } from "../container/cgroups";

/** A cgroup file of a sandbox, from whichever hierarchy has it (v1 controller dir or v2 unified); undefined if none. */
export function readSandboxCgroup(runnerDir: string, id: string, file: string): string | undefined {
  for (const mp of cgroupMountPoints()) {
    try {
      return readFileSync(path.join(mp, cgroupParentFor(runnerDir), id, file), "utf8");
    } catch {
      /* not in this hierarchy */
    }
  }
  return undefined;
}

/** CPU time the sandbox has used, in seconds (cpuacct.usage on v1, cpu.stat usage_usec on v2). */
export function sandboxCpuSeconds(runnerDir: string, id: string): number {
  const v1 = readSandboxCgroup(runnerDir, id, "cpuacct.usage");
  if (v1 !== undefined) return Number(v1.trim()) / 1e9;
  const v2 = readSandboxCgroup(runnerDir, id, "cpu.stat");
  const usec = v2 && /usage_usec (\d+)/.exec(v2)?.[1];
  if (!usec) throw new Error(`no CPU accounting found for sandbox ${id}`);
  return Number(usec) / 1e6;
}

/**
 * The sandbox's CPU bandwidth control as the kernel keeps it: the quota per period (cpu.cfs_quota_us
 * and cpu.cfs_period_us on v1, cpu.max on v2) and its counters (cpu.stat): enforcement periods that
 * elapsed while the sandbox had work, and how many of them ended with the sandbox throttled.
 */
export function sandboxCpuBandwidth(
  runnerDir: string,
  id: string,
): { quotaUs: number; periodUs: number; burstUs: number; periods: number; throttled: number } {
  for (const mp of cgroupMountPoints()) {
    const dir = path.join(mp, cgroupParentFor(runnerDir), id);
    let stat: string;
    try {
      stat = readFileSync(path.join(dir, "cpu.stat"), "utf8");
    } catch {
      continue;
    }
    // A v2 hierarchy without the cpu controller has a cpu.stat too, with usage only.
    const periods = /nr_periods (\d+)/.exec(stat)?.[1];
    const throttled = /nr_throttled (\d+)/.exec(stat)?.[1];
    if (periods === undefined || throttled === undefined) continue;
    const [quota, period] = existsSync(path.join(dir, "cpu.max"))
      ? readFileSync(path.join(dir, "cpu.max"), "utf8").trim().split(/\s+/)
      : [readFileSync(path.join(dir, "cpu.cfs_quota_us"), "utf8").trim(), readFileSync(path.join(dir, "cpu.cfs_period_us"), "utf8").trim()];
    const burstFile = ["cpu.max.burst", "cpu.cfs_burst_us"].map((f) => path.join(dir, f)).find((f) => existsSync(f));
    return {
      quotaUs: quota === "max" ? -1 : Number(quota),
      periodUs: Number(period),
      burstUs: burstFile ? Number(readFileSync(burstFile, "utf8").trim()) : 0,
      periods: Number(periods),
      throttled: Number(throttled),
    };
  }
  throw new Error(`no CPU bandwidth control (cpu.stat with nr_periods) found for sandbox ${id}`);
}

/**
 * Watches how long this process's event loop is held up by its own work. Ticks every `everyMs`; a
 * late tick counts only as long as the CPU time the process used meanwhile (process.cpuUsage), so
 * time the kernel gave to other programs (a busy machine, the other test suites) is not blamed on
 * the runner, while a synchronous stretch of work is (it burns CPU for as long as it blocks).
 * `stop()` returns the worst stall and the 99th percentile (ms).
 */
export function watchEventLoop(everyMs = 10): { stop(): { maxMs: number; p99Ms: number } } {
  const stalls: number[] = [];
  let last = performance.now();
  let cpu = process.cpuUsage();
  const timer = setInterval(() => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    stalls.push(Math.max(0, Math.min(now - last - everyMs, (used.user + used.system) / 1000)));
    last = now;
    cpu = process.cpuUsage();
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const sorted = [...stalls].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { maxMs: sorted.at(-1) ?? 0, p99Ms: at(0.99) };
    },
  };
}

export interface RawResponse {
  status: number;
  body: string;
}

/** An HTTP request with the path sent byte for byte as given. */
export function rawRequest(
  base: string,
  method: string,
  rawPath: string,
  opts: { token?: string; body?: string | Buffer } = {},
): Promise<RawResponse> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: u.hostname,
        port: u.port,
        method,
        path: rawPath,
        headers: {
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
          ...(opts.body !== undefined ? { "content-type": "application/json", "content-length": Buffer.byteLength(opts.body) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(opts.body);
  });
}

/** A TCP port nothing listens on right now (bind to 0, read it, close). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

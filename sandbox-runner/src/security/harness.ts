/**
 * Host-side helpers for the escape, abuse and fault suites: reading a sandbox's cgroup from the host,
 * measuring how responsive the host's event loop stays, raw HTTP requests whose paths nobody
 * normalises (fetch and URL would turn `..` into nothing before the runner ever saw it).
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
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

/** Starts sampling the event loop's delay; `stop()` returns the worst and the 99th percentile (ms). */
export function watchEventLoop(): { stop(): { maxMs: number; p99Ms: number } } {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  return {
    stop() {
      h.disable();
      return { maxMs: h.max / 1e6, p99Ms: h.percentile(99) / 1e6 };
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

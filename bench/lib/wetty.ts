/**
 * The peer for the terminal figures: wetty 3 (a Node web terminal on socket.io), installed on demand
 * into .data/bench/peers (never a dependency of the product) and run on loopback with a host bash.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { freePort, REPO } from "./runner-process";

export const PEERS = path.join(REPO, ".data/bench/peers");

/** Installs wetty (and lighthouse) into the peers dir once; returns false when that failed. */
export function ensurePeers(pkgs = ["wetty@3", "lighthouse@12"], log: (s: string) => void = () => undefined): boolean {
  const missing = pkgs.filter((p) => !existsSync(path.join(PEERS, "node_modules", p.replace(/@[^@/]+$/, ""), "package.json")));
  if (missing.length === 0) return true;
  log(`installing ${missing.join(", ")} into ${PEERS} (once)`);
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefix", PEERS, ...missing], { stdio: "inherit", timeout: 600_000 });
  return r.status === 0;
}

export interface WettyProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

export async function startWetty(): Promise<WettyProcess> {
  const port = await freePort();
  const bin = path.join(PEERS, "node_modules/wetty/build/main.js");
  if (!existsSync(bin)) throw new Error(`wetty is not installed in ${PEERS}: run npm install --prefix ${PEERS} wetty@3`);
  const child = spawn(
    process.execPath,
    [bin, "--port", String(port), "--host", "127.0.0.1", "--base", "/", "--command", "bash", "--log-level", "warn"],
    {
      cwd: PEERS,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, HOME: process.env.HOME ?? "/root" },
    },
  );
  let err = "";
  child.stderr!.on("data", (b: Buffer) => (err = (err + b).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`wetty exited: ${err}`);
    if (
      await fetch(url + "/").then(
        () => true,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise((r) => child.once("exit", r));
  return {
    child,
    pid: child.pid!,
    url,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** The part of socket.io-client's Socket used here (the package lives in the peers dir, untyped for tsc). */
interface SocketLike {
  emit(ev: string, ...args: unknown[]): void;
  on(ev: string, fn: (...args: never[]) => void): void;
  once(ev: string, fn: (...args: never[]) => void): void;
  close(): void;
}

export interface WettyTerm {
  bytes: number;
  input(s: string): void;
  waitFor(marker: string, timeoutMs?: number): Promise<number>;
  close(): void;
}

/** A socket.io client of wetty that acknowledges ("commit") what it receives, as wetty's page does. */
export async function openWetty(url: string): Promise<WettyTerm> {
  const req = createRequire(path.join(PEERS, "node_modules/"));
  const { io } = req("socket.io-client") as { io: (url: string, opts: Record<string, unknown>) => SocketLike };
  const s = io(url, { path: "/socket.io", transports: ["websocket"], forceNew: true });
  let waiters: { marker: string; seen: string; resolve: (t: number) => void }[] = [];
  const t: WettyTerm = {
    bytes: 0,
    input: (d) => void s.emit("input", d),
    waitFor(marker, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const w = { marker, seen: "", resolve };
        waiters.push(w);
        setTimeout(() => {
          if (!waiters.includes(w)) return;
          waiters = waiters.filter((x) => x !== w);
          reject(new Error(`wetty: no ${JSON.stringify(marker)} within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    close: () => void s.close(),
  };
  s.on("data", (d: string) => {
    const now = performance.now();
    t.bytes += Buffer.byteLength(d);
    s.emit("commit", d.length);
    if (waiters.length === 0) return;
    waiters = waiters.filter((w) => {
      w.seen = (w.seen + d).slice(-(w.marker.length + 4096));
      if (!w.seen.includes(w.marker)) return true;
      w.resolve(now);
      return false;
    });
  });
  await new Promise<void>((resolve, reject) => {
    s.once("login", () => resolve());
    s.once("connect_error", reject);
    setTimeout(() => reject(new Error("wetty did not start a shell within 10 s")), 10_000).unref();
  });
  return t;
}

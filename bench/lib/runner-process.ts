/**
 * Starts the real sandbox runner (sandbox-runner/src/main.ts) as a child process with its own
 * DATA_DIR, reusing the test Image (a symlink) so a run does not rebuild it for minutes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, readlinkSync, symlinkSync } from "node:fs";
import { randomBytes } from "node:crypto";
import net from "node:net";
import path from "node:path";
import { RunnerClient } from "../../contract/runner-client";
import { generateSigningKeys } from "../../contract/token";

export const REPO = path.resolve(__dirname, "../..");

export interface RunnerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  wsUrl: string;
  /** The app's private key (PEM) the runner's tokens are signed with. */
  secret: string;
  dataDir: string;
  runnerDir: string;
  client: RunnerClient;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/** Points DATA_DIR/runner/image at an existing built Image (default: the integration tests' one). */
export function linkImage(dataDir: string, imageDir = process.env.BENCH_IMAGE_DIR ?? path.join(REPO, ".data/test/runner/image")): void {
  const runnerDir = path.join(dataDir, "runner");
  mkdirSync(runnerDir, { recursive: true });
  const link = path.join(runnerDir, "image");
  if (existsSync(link)) {
    try {
      if (readlinkSync(link)) return;
    } catch {
      return; // a real dir: the runner builds or reuses it
    }
  }
  if (!existsSync(imageDir)) return; // no test Image yet: the runner builds one (minutes)
  symlinkSync(imageDir, link);
}

/**
 * That checkout's own RunnerClient (HS256 tokens, the same method names for what the load bench
 * calls: createSandbox, terminalToken, getSandbox, listTerminals, exec, destroySandbox, health), so
 * a baseline's runner is driven the way its own app drove it. The terminal protocol did not change.
 */
async function legacyClient(repo: string, baseUrl: string, secret: string): Promise<RunnerClient> {
  const mod = (await import(path.join(repo, "sandbox-runner/src/client/runner-client.ts"))) as {
    RunnerClient: new (o: { baseUrl: string; secret: string }) => unknown;
  };
  return new mod.RunnerClient({ baseUrl, secret }) as RunnerClient;
}

export async function startRunner(o: {
  dataDir: string;
  env?: Record<string, string>;
  nodeArgs?: string[];
  log?: (s: string) => void;
  /** Another checkout to run the runner from (a baseline commit); default this one. */
  repo?: string;
}): Promise<RunnerProcess> {
  // Another checkout builds its own Image in its own DATA_DIR (minutes, once): linked to this
  // checkout's Image, it would rebuild that one in place for its own definition.
  if (!o.repo || path.resolve(o.repo) === REPO) linkImage(o.dataDir);
  const port = await freePort();
  // The app's key pair for this run: the runner gets the public half, the bench signs with the private one.
  const keys = generateSigningKeys();
  const secret = keys.privateKey;
  // `node --import tsx` (not the tsx CLI): one process, so its RSS is the runner's own.
  const repo = o.repo ?? REPO;
  // A checkout from before the app↔runner contract (issue 17) shares an HS256 secret with its app
  // instead of holding the app's public key; it is driven by its own client (below).
  const legacy = !existsSync(path.join(repo, "contract/token.ts"));
  const legacySecret = randomBytes(24).toString("base64url");
  const child = spawn(process.execPath, [...(o.nodeArgs ?? []), "--import", "tsx", path.join(repo, "sandbox-runner/src/main.ts")], {
    cwd: repo,
    env: {
      ...process.env,
      ...(legacy ? { RUNNER_SECRET: legacySecret } : {}),
      DATA_DIR: o.dataDir,
      RUNNER_PORT: String(port),
      RUNNER_HOST: "127.0.0.1",
      APP_PUBLIC_KEY: keys.publicKey,
      LOG_LEVEL: "warn",
      SANDBOX_MEMORY_MB: "64",
      SANDBOX_PIDS: "64",
      SANDBOX_DISK_MB: "16",
      ...o.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  const logFile = createWriteStream(path.join(o.dataDir, "runner.log"), { flags: "a" });
  child.stdout!.pipe(logFile);
  child.stderr!.on("data", (b: Buffer) => logFile.write(b));
  child.stderr!.on("data", (b: Buffer) => {
    stderr = (stderr + b.toString()).slice(-4000);
    o.log?.(b.toString());
  });
  child.stdout!.on("data", (b: Buffer) => o.log?.(b.toString()));
  const url = `http://127.0.0.1:${port}`;
  const client = legacy ? await legacyClient(repo, url, legacySecret) : new RunnerClient({ baseUrl: url, privateKey: secret });
  const exited = new Promise<number | null>((r) => child.once("exit", (c) => r(c)));
  const deadline = Date.now() + 600_000; // a first run may build the Image
  for (;;) {
    const code = await Promise.race([exited, new Promise<"wait">((r) => setTimeout(() => r("wait"), 200))]);
    if (code !== "wait") throw new Error(`the runner exited (${code}) before listening: ${stderr.trim()}`);
    if (
      await client.health().then(
        () => true,
        () => false,
      )
    )
      break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the runner did not listen within 10 minutes: ${stderr.trim()}`);
    }
  }
  return {
    child,
    pid: child.pid!,
    url,
    wsUrl: url.replace("http", "ws") + "/v1/terminals",
    secret,
    dataDir: o.dataDir,
    runnerDir: path.join(o.dataDir, "runner"),
    client,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM"); // destroys every sandbox before exiting
      const t = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/**
 * The sandbox runner: configuration → Image → SandboxManager → HTTP/WebSocket server.
 * `tsx sandbox-runner/src/main.ts`. A startup failure prints what went wrong and what to do,
 * not a stack trace; SIGINT/SIGTERM destroy every sandbox before exiting.
 */
import { ConfigError, loadRunnerConfig, runnerLimits } from "./config/config";
import { secureDataDir } from "./config/data-dir";
import { ensureImage } from "./image";
import { SandboxManager } from "./sandbox/manager";
import { recordingLimits } from "./terminal/recording-quota";
import { createLogger } from "./server/log";
import { loadAppPublicKey } from "./server/app-key";
import { createRunnerServer } from "./server/server";

class StartupError extends Error {}

async function main(): Promise<void> {
  let cfg;
  try {
    cfg = loadRunnerConfig();
  } catch (e) {
    if (e instanceof ConfigError) throw new StartupError(e.message);
    throw e;
  }
  const log = createLogger(cfg.LOG_LEVEL);
  if (process.getuid?.() !== 0)
    throw new StartupError("the sandbox runner must run as root (it starts containers with runc); start it with sudo or as root");

  let publicKey: string;
  try {
    // Before anything is written there: DATA_DIR must not be world-readable (the app, or `npm
    // start`, also makes its database and private key private).
    for (const line of secureDataDir({ dataDir: cfg.dataDir, sandboxGid: cfg.SANDBOX_UID_BASE })) log.warn(line);
    publicKey = await loadAppPublicKey(cfg);
  } catch (e) {
    throw new StartupError((e as Error).message);
  }

  let lastStep = "";
  const image = await ensureImage({
    runnerDir: cfg.runnerDir,
    uidBase: cfg.SANDBOX_UID_BASE,
    uidCount: cfg.SANDBOX_UID_COUNT,
    onProgress: (p) => {
      const line = p.total ? `${p.step} (${p.done ?? 0}/${p.total})` : p.step;
      if (line !== lastStep) log.info({ image: p }, `image: ${line}`);
      lastStep = line;
    },
  }).catch((e: Error) => {
    throw new StartupError(`could not prepare the course Image: ${e.message}`);
  });
  log.info({ layers: image.layers.length, config: image.configDigest }, "image ready");

  const manager = new SandboxManager(cfg, image, log.child({ part: "sandboxes" }));
  await manager.init();

  const server = createRunnerServer({
    sandboxes: manager,
    publicKey,
    runnerName: cfg.RUNNER_NAME,
    runnerDir: cfg.runnerDir,
    log: log.child({ part: "server" }),
    terminalsPerSandbox: cfg.TERMINALS_PER_SANDBOX,
    limits: runnerLimits(cfg),
    recordingMaxBytes: cfg.TERMINAL_RECORDING_MAX_MB * 1024 * 1024,
    recordings: recordingLimits(cfg),
    fleet: { capacity: cfg.SANDBOX_CAPACITY, ...(cfg.RUNNER_NAME ? { name: cfg.RUNNER_NAME } : {}) },
    queueLeaveMs: cfg.SANDBOX_QUEUE_LEAVE_SECONDS * 1000,
  });
  let addr;
  try {
    addr = await server.listen(cfg.RUNNER_PORT, cfg.RUNNER_HOST);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    await manager.shutdown();
    if (code === "EADDRINUSE")
      throw new StartupError(`port ${cfg.RUNNER_PORT} on ${cfg.RUNNER_HOST} is taken: stop what uses it or set RUNNER_PORT`);
    throw new StartupError(`cannot listen on ${cfg.RUNNER_HOST}:${cfg.RUNNER_PORT}: ${(e as Error).message}`);
  }
  log.info({ url: addr.url }, `sandbox runner listening on ${addr.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down: closing terminals and destroying sandboxes");
    const force = setTimeout(() => {
      log.error("shutdown took over 20 s; exiting anyway");
      process.exit(1);
    }, 20_000).unref();
    try {
      await server.close();
      await manager.shutdown();
    } catch (e) {
      log.error({ err: e }, "error during shutdown");
    }
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((e: unknown) => {
  if (e instanceof StartupError) {
    process.stderr.write(`sandbox-runner: ${e.message}\n`);
  } else {
    process.stderr.write(
      `sandbox-runner: unexpected error at start: ${(e as Error)?.message ?? String(e)}\n(run with LOG_LEVEL=debug for details)\n`,
    );
    if (process.env.LOG_LEVEL === "debug") console.error(e);
  }
  process.exit(1);
});

import path from "node:path";
import { z } from "zod";
import { ConfigError, bool, describeTable, int, parseEnv, type ConfigOption } from "../../../contract/config";
import type { RunnerLimits } from "../../../contract/types";

export { ConfigError };

/**
 * The runner's configuration table (the app has its own, app/_lib/config.ts), read once from
 * environment variables; a bad value stops the start with a message naming the variable. Its
 * limits reach the app through the API (GET /v1/limits), never through the app's environment.
 */

const schema = z.object({
  DATA_DIR: z.string().min(1).default(".data").describe("Where the database, image, sandboxes and recordings live"),
  RUNNER_HOST: z.string().min(1).default("127.0.0.1").describe("Address the runner listens on"),
  RUNNER_PORT: int(1, 65535).default(3001).describe("Port of the runner's HTTP and WebSocket API"),
  SANDBOX_MEMORY_MB: int(32, 65536).default(256).describe("Memory limit of one sandbox (MiB)"),
  SANDBOX_PIDS: int(16, 100000).default(256).describe("Process limit of one sandbox"),
  SANDBOX_CPUS: z.coerce.number().min(0.05).max(64).default(0.5).describe("CPU limit of one sandbox (cores)"),
  SANDBOX_CPU_BURST: z.coerce
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe(
      "CPU a sandbox that was idle may spend at once above its limit, as a share of one period's limit (0 to 1): a Check or a command is a short burst, the long-run limit stays SANDBOX_CPUS",
    ),
  SANDBOXES_CPU_WEIGHT: int(1, 100)
    .default(4)
    .describe(
      "When the CPU is contended, all sandboxes together weigh as much as this many of the host's own processes (the runner, the app): 1 lets a few busy host processes starve every learner's Check; each sandbox stays capped by SANDBOX_CPUS",
    ),
  SANDBOX_DISK_MB: int(8, 65536).default(256).describe("Size cap of the writable layer (MiB)"),
  SANDBOX_IO_MBPS: int(1, 100000)
    .default(50)
    .describe("Block-I/O limit of one sandbox on the disk holding the image (MiB/s, reads and writes each)"),
  SANDBOX_IO_IOPS: int(10, 1_000_000)
    .default(1000)
    .describe("Block-I/O operations per second of one sandbox on that disk (reads and writes each)"),
  SANDBOX_IDLE_MINUTES: int(1, 1440).default(30).describe("Destroy a sandbox after this long without activity"),
  SANDBOX_MAX_MINUTES: int(1, 10080).default(240).describe("Destroy a sandbox after this long, whatever happens"),
  SANDBOX_CAPACITY: int(1, 10000)
    .default(50)
    .describe("Most sandboxes running at once; more learners wait in line (told their place) until one ends"),
  SANDBOX_POOL_SIZE: z
    .string()
    .regex(/^(auto|\d{1,4})$/, "must be 'auto' (sized from demand) or a whole number of sandboxes, e.g. 2")
    .transform((v) => (v === "auto" ? "auto" : Number(v)))
    .refine((v) => v === "auto" || v <= 1000, "must be at most 1000")
    .default("auto")
    .describe(
      "Sandboxes kept started, each with a login shell waiting, for the next learners (a warm pool; counts toward SANDBOX_CAPACITY): auto sizes it from recent demand (up to SANDBOX_POOL_MAX), a number fixes it",
    ),
  SANDBOX_UID_BASE: int(1, 4_000_000_000)
    .default(100000)
    .describe(
      "First host uid the sandbox's root maps to; the 2 × SANDBOX_CAPACITY uids after the mapped range own the sandboxes' user namespaces (keep both ranges unused on the host)",
    ),
  SANDBOX_UID_COUNT: int(1000, 1_000_000).default(65536).describe("How many uids each sandbox maps"),
  TERMINAL_RECORDING_MAX_MB: int(1, 1024).default(8).describe("Size cap of one terminal's asciicast recording (MiB)"),
  RECORDINGS_MAX_MB_PER_SANDBOX: int(1, 1_000_000)
    .default(32)
    .describe("Cap on all recordings of one sandbox (MiB); past it, recording stops"),
  RECORDINGS_MAX_MB_PER_LEARNER: int(1, 1_000_000)
    .default(64)
    .describe("Cap on all recordings of one learner, across their sandboxes (MiB); past it, recording stops"),
  RECORDINGS_MAX_MB: int(1, 10_000_000)
    .default(2048)
    .describe("Quota of all recordings on disk (MiB); the oldest finished ones are deleted first"),
  RECORDINGS_RETENTION_DAYS: int(1, 3650)
    .default(30)
    .describe("Recordings (kept after their sandbox is gone, for the instructor's replay) are deleted this long after their last write"),
  TERMINALS_PER_SANDBOX: int(1, 32).default(4).describe("Most terminals (tabs) per sandbox"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info").describe("pino log level"),
  RUNC_BINARY: z.string().min(1).default("runc").describe("The OCI runtime binary"),
  DEV_NO_SECCOMP: bool.default(false).describe("Disable the seccomp filter (debugging only)"),
  RUNNER_NAME: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, "must be a DNS-style name like runner-1")
    .default("local")
    .describe("The runner's name: every token says which runner it is for, and a runner refuses tokens made for another"),
  APP_PUBLIC_KEY: z
    .string()
    .regex(/^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/, "must be a PEM public key (-----BEGIN PUBLIC KEY----- …)")
    .optional()
    .describe(
      "The app's Ed25519 public key (PEM) the runner checks tokens with (default: DATA_DIR/keys/app-signing.pub, which the app makes)",
    ),
  SAVED_WORK_MAX_MB_PER_LEARNER: int(0, 65536)
    .default(64)
    .describe(
      "Size cap of one learner's saved work (their sandbox's writable layer, kept as a compressed layer tarball when it ends; MiB); 0 keeps nothing",
    ),
  SAVED_WORK_MAX_MB: int(1, 10_000_000)
    .default(4096)
    .describe("Quota of all learners' saved work on disk (MiB); past it, a sandbox's files are not kept and its learner is told why"),
  SAVED_WORK_RETENTION_DAYS: int(1, 3650).default(14).describe("Saved work is deleted this long after it was saved"),
  SANDBOX_ENGINE_MB: int(8, 65536)
    .optional()
    .describe(
      "Size cap of the container engine's storage in a sandbox (/var/lib/containers, a tmpfs: what it holds counts against SANDBOX_MEMORY_MB, so it must stay below it; default: half of SANDBOX_MEMORY_MB)",
    ),
  SANDBOX_POOL_MAX: int(0, 1000)
    .default(4)
    .describe(
      "With SANDBOX_POOL_SIZE=auto: most sandboxes the pool keeps ready (it holds as many as learners arrived in the last minute, one while a class is on, within capacity and free memory)",
    ),
  SANDBOX_STARTS_AT_ONCE: int(1, 64)
    .default(2)
    .describe(
      "Most sandboxes being started at once (learners' before the pool's): a class arriving together is started a few at a time, so the terminals already running keep their share of the CPU",
    ),
  SANDBOX_QUEUE_LEAVE_SECONDS: int(2, 3600)
    .default(60)
    .describe(
      "A learner waiting in line for a sandbox who has not asked again for this long has left and drops out (the page asks every few seconds)",
    ),
});

export type RunnerConfig = Omit<z.infer<typeof schema>, "SANDBOX_ENGINE_MB"> & { SANDBOX_ENGINE_MB: number } & {
  dataDir: string;
  runnerDir: string;
  runnerUrl: string;
};
export const runnerConfigSchema = schema;

/** Parses the environment; throws ConfigError naming every bad variable and what it must be. */
export function loadRunnerConfig(env: Record<string, string | undefined> = process.env): RunnerConfig {
  const data = parseEnv(schema, env);
  // The engine's storage is memory (tmpfs): a cap at or above the memory limit would let it fill
  // only by OOM-killing the learner's shell instead of saying "full".
  const engineMb = data.SANDBOX_ENGINE_MB ?? Math.floor(data.SANDBOX_MEMORY_MB / 2);
  if (engineMb >= data.SANDBOX_MEMORY_MB)
    throw new ConfigError([
      `SANDBOX_ENGINE_MB=${JSON.stringify(env.SANDBOX_ENGINE_MB ?? "")}: must be below SANDBOX_MEMORY_MB (${data.SANDBOX_MEMORY_MB}), the engine's storage is held in the sandbox's memory`,
    ]);
  const dataDir = path.resolve(data.DATA_DIR);
  return {
    ...data,
    SANDBOX_ENGINE_MB: engineMb,
    dataDir,
    runnerDir: path.join(dataDir, "runner"),
    runnerUrl: `http://${data.RUNNER_HOST === "0.0.0.0" ? "127.0.0.1" : data.RUNNER_HOST}:${data.RUNNER_PORT}`,
  };
}

/** The table used by the README and `--help`. */
export function describeRunnerConfig(): ConfigOption[] {
  return describeTable(schema);
}

/** The limits this runner publishes to the app (GET /v1/limits). */
export function runnerLimits(cfg: RunnerConfig): RunnerLimits {
  return {
    terminalsPerSandbox: cfg.TERMINALS_PER_SANDBOX,
    capacity: cfg.SANDBOX_CAPACITY,
    memoryMb: cfg.SANDBOX_MEMORY_MB,
    cpus: cfg.SANDBOX_CPUS,
    diskMb: cfg.SANDBOX_DISK_MB,
    idleMinutes: cfg.SANDBOX_IDLE_MINUTES,
    maxMinutes: cfg.SANDBOX_MAX_MINUTES,
  };
}

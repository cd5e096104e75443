import path from "node:path";
import { z } from "zod";

/**
 * The platform's whole configuration (runner and app read the same table), read once from environment variables (piston's habit: one
 * table of options, each with a default, a parser and a description; a bad value stops the start
 * with a message naming the variable).
 */
const bool = z.enum(["1", "0", "true", "false", "yes", "no"]).transform((v) => ["1", "true", "yes"].includes(v));
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z.object({
  DATA_DIR: z.string().min(1).default(".data").describe("Where the database, image, sandboxes and recordings live"),
  PORT: int(1, 65535).default(3000).describe("Port of the web app"),
  DATABASE_URL: z
    .string()
    .regex(/^file:/, "must be a SQLite URL like file:/var/lib/curso/app.db")
    .optional()
    .describe("SQLite database file (default file:DATA_DIR/app.db)"),
  RUNNER_PUBLIC_URL: z
    .string()
    .url("must be a URL like ws://host:3001")
    .optional()
    .describe("WebSocket URL browsers use to reach the runner (default: the page's host, port RUNNER_PORT)"),
  PUBLIC_URL: z
    .string()
    .url("must be a URL like https://curso.example.org")
    .optional()
    .describe("Public URL of the web app, for sign-in callbacks and origin checks (default: the request's host)"),
  TRUSTED_ORIGINS: z
    .string()
    .regex(
      /^(https?:\/\/[^,\s]+)(,\s*https?:\/\/[^,\s]+)*$/,
      "must be a comma-separated list of origins like https://a.example,https://b.example",
    )
    .optional()
    .describe("Other origins allowed to post forms (CSRF check), comma-separated"),
  COOKIE_SECURE: bool.default(false).describe("Mark cookies Secure (set when the app is served over HTTPS)"),
  TRUSTED_PROXIES: z
    .string()
    .regex(/^[0-9a-fA-F:.]+(\s*,\s*[0-9a-fA-F:.]+)*$/, "must be a comma-separated list of IP addresses like 10.0.0.2,::1")
    .optional()
    .describe("Reverse proxies whose X-Forwarded-For the app believes, comma-separated IPs (default: none, the socket's address counts)"),
  GUEST_SANDBOXES_PER_ADDRESS: int(1, 100000)
    .default(60)
    .describe("New sandboxes for guests (not signed in) per IP address and 10 minutes; a class behind one address needs one each"),
  AUTH_SIGNIN_PER_MINUTE: int(1, 10000)
    .default(120)
    .describe("Sign-in (and, separately, sign-up) attempts per IP address and minute; generous, a class shares one address"),
  AUTH_FAILED_SIGNINS_PER_ACCOUNT: int(1, 1000)
    .default(5)
    .describe("Wrong passwords for one account before its sign-in is locked for AUTH_ACCOUNT_LOCK_MINUTES (slows a password guesser)"),
  AUTH_ACCOUNT_LOCK_MINUTES: int(1, 1440).default(15).describe("How long an account's failed sign-ins are counted and its lock lasts"),
  COURSE_CONTENT_DIR: z.string().min(1).optional().describe("Folder of the course content (default: content/ in the app)"),
  RUNNER_HOST: z.string().min(1).default("127.0.0.1").describe("Address the runner listens on"),
  RUNNER_PORT: int(1, 65535).default(3001).describe("Port of the runner's HTTP and WebSocket API"),
  RUNNER_SECRET: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .describe("HMAC secret shared with the app for signed tokens (generated into DATA_DIR when unset)"),
  SANDBOX_MEMORY_MB: int(32, 65536).default(256).describe("Memory limit of one sandbox (MiB)"),
  SANDBOX_PIDS: int(16, 100000).default(256).describe("Process limit of one sandbox"),
  SANDBOX_CPUS: z.coerce.number().min(0.05).max(64).default(0.5).describe("CPU limit of one sandbox (cores)"),
  SANDBOX_DISK_MB: int(8, 65536).default(256).describe("Size cap of the writable layer (MiB)"),
  SANDBOX_IO_MBPS: int(1, 100000)
    .default(50)
    .describe("Block-I/O limit of one sandbox on the disk holding the image (MiB/s, reads and writes each)"),
  SANDBOX_IO_IOPS: int(10, 1_000_000)
    .default(1000)
    .describe("Block-I/O operations per second of one sandbox on that disk (reads and writes each)"),
  SANDBOX_IDLE_MINUTES: int(1, 1440).default(30).describe("Destroy a sandbox after this long without activity"),
  SANDBOX_MAX_MINUTES: int(1, 10080).default(240).describe("Destroy a sandbox after this long, whatever happens"),
  SANDBOX_CAPACITY: int(1, 10000).default(50).describe("Most sandboxes running at once; more get 'busy, try again'"),
  SANDBOX_POOL_SIZE: int(0, 1000)
    .default(0)
    .describe(
      "Sandboxes kept started, each with a login shell waiting, for the next learners (a warm pool; counts toward SANDBOX_CAPACITY)",
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
  RUNNERS: z
    .string()
    .optional()
    .describe(
      "App: the runners it places sandboxes on, name=URL[|browser ws URL] comma-separated, or dns:NAME:PORT (every address of NAME); unset: the one local runner",
    ),
  RUNNER_PUBLIC_URL_TEMPLATE: z
    .string()
    .optional()
    .describe("App, with RUNNERS=dns:…: each runner's WebSocket URL for browsers, with {ip}, {ipDashed} or {name}"),
  RUNNERS_DRAINING: z
    .string()
    .optional()
    .describe("App: runners (names, or addresses with dns:) that get no new sandboxes; the sandboxes there live out their time"),
  RUNNER_NAME: z
    .string()
    .regex(/^[a-z0-9.-]{1,63}$/i, "must be a short name like runner-a or an address like 10.42.1.7")
    .optional()
    .describe("Runner: its name in the fleet, published on /healthz (default: none)"),
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
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, "must be an SMTP URL like smtp://user:password@mail.example.org:587 or smtps://…:465")
    .optional()
    .describe(
      "Mail server for password-reset e-mails (smtp:// or smtps://, user:password@ if needed); unset: instructors hand out reset links",
    ),
  SMTP_FROM: z
    .string()
    .regex(/^[^\s@]+@[^\s@]+$|<[^\s@]+@[^\s@]+>$/, "must be an address like cursos@example.org or Curso <cursos@example.org>")
    .optional()
    .describe("Sender of the password-reset e-mails (default: no-reply@ the SMTP server's host)"),
});

export type RunnerConfig = Omit<z.infer<typeof schema>, "SANDBOX_ENGINE_MB"> & { SANDBOX_ENGINE_MB: number } & {
  dataDir: string;
  runnerDir: string;
  databaseUrl: string;
  runnerUrl: string;
};
export const runnerConfigSchema = schema;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nFix the environment variable(s) above (see README, "Configuration") and start again.`,
    );
    this.name = "ConfigError";
  }
}

/** Parses the environment; throws ConfigError naming every bad variable and what it must be. */
export function loadRunnerConfig(env: Record<string, string | undefined> = process.env): RunnerConfig {
  const picked: Record<string, string> = {};
  for (const key of Object.keys(schema.shape)) {
    const v = env[key];
    if (v !== undefined && v !== "") picked[key] = v;
  }
  const parsed = schema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const key = String(i.path[0]);
        return `${key}=${JSON.stringify(picked[key] ?? "")}: ${i.message}`;
      }),
    );
  }
  // The engine's storage is memory (tmpfs): a cap at or above the memory limit would let it fill
  // only by OOM-killing the learner's shell instead of saying "full".
  const engineMb = parsed.data.SANDBOX_ENGINE_MB ?? Math.floor(parsed.data.SANDBOX_MEMORY_MB / 2);
  if (engineMb >= parsed.data.SANDBOX_MEMORY_MB)
    throw new ConfigError([
      `SANDBOX_ENGINE_MB=${JSON.stringify(picked.SANDBOX_ENGINE_MB ?? "")}: must be below SANDBOX_MEMORY_MB (${parsed.data.SANDBOX_MEMORY_MB}), the engine's storage is held in the sandbox's memory`,
    ]);
  const dataDir = path.resolve(parsed.data.DATA_DIR);
  return {
    ...parsed.data,
    SANDBOX_ENGINE_MB: engineMb,
    dataDir,
    runnerDir: path.join(dataDir, "runner"),
    databaseUrl: parsed.data.DATABASE_URL ?? `file:${path.join(dataDir, "app.db")}`,
    runnerUrl: `http://${parsed.data.RUNNER_HOST === "0.0.0.0" ? "127.0.0.1" : parsed.data.RUNNER_HOST}:${parsed.data.RUNNER_PORT}`,
  };
}

/** The table used by the README and `--help`. */
export function describeRunnerConfig(): { name: string; description: string; default: string }[] {
  return Object.entries(schema.shape).map(([name, s]) => {
    const def = (s as z.ZodTypeAny).safeParse(undefined);
    return {
      name,
      description: (s as z.ZodTypeAny).description ?? "",
      default: def.success && def.data !== undefined ? String(def.data) : "",
    };
  });
}

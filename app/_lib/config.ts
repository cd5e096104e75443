import path from "node:path";
import { z } from "zod";
import { ConfigError, bool, describeTable, int, parseEnv, type ConfigOption } from "@contract/config";

export { ConfigError };

/**
 * The app's configuration table (the runner has its own, sandbox-runner/src/config/config.ts):
 * where it keeps its data, how it is reached, sign-in limits, and the runner it uses. What the
 * runner limits (terminals per sandbox…) the app asks the runner (GET /v1/limits), never restates.
 */
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
  RUNNER_PORT: int(1, 65535).default(3001).describe("Port of the runner's HTTP and WebSocket API"),
  RUNNER_URL: z
    .string()
    .regex(/^https?:\/\/[^\s/]+\/?$/, "must be an http(s) URL with no path, like http://10.0.0.5:3001")
    .optional()
    .describe("The runner's HTTP API as the app reaches it (default http://127.0.0.1:RUNNER_PORT, the runner `npm start` starts)"),
  RUNNER_NAME: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/, "must be a DNS-style name like runner-1")
    .default("local")
    .describe("The runner's name: every token says which runner it is for, and a runner refuses tokens made for another"),
  AUTH_SECRET: z
    .string()
    .min(16, "must be at least 16 characters")
    .optional()
    .describe("The app's secret for its session and guest cookies (generated into DATA_DIR/secret when unset); runners never get it"),
  RUNNERS: z
    .string()
    .optional()
    .describe(
      "The runners the app places sandboxes on, name=URL[|browser ws URL] comma-separated, or dns:NAME:PORT (every address of NAME); unset: the one local runner",
    ),
  RUNNER_PUBLIC_URL_TEMPLATE: z
    .string()
    .optional()
    .describe("With RUNNERS=dns:…: each runner's WebSocket URL for browsers, with {ip}, {ipDashed} or {name}"),
  RUNNERS_DRAINING: z
    .string()
    .optional()
    .describe("Runners (names, or addresses with dns:) that get no new sandboxes; the sandboxes there live out their time"),
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

export type AppConfig = z.infer<typeof schema> & { dataDir: string; databaseUrl: string; runnerUrl: string };

/** Parses the environment; throws ConfigError naming every bad variable and what it must be. */
export function loadAppConfig(env: Record<string, string | undefined> = process.env): AppConfig {
  const data = parseEnv(schema, env);
  // The comments keep Next's file tracer from copying the data folder into the build.
  const dataDir = path.resolve(/*turbopackIgnore: true*/ data.DATA_DIR);
  return {
    ...data,
    dataDir,
    databaseUrl: data.DATABASE_URL ?? `file:${path.join(/*turbopackIgnore: true*/ dataDir, "app.db")}`,
    runnerUrl: (data.RUNNER_URL ?? `http://127.0.0.1:${data.RUNNER_PORT}`).replace(/\/+$/, ""),
  };
}

/** The table used by the README. */
export function describeAppConfig(): ConfigOption[] {
  return describeTable(schema);
}

let cached: AppConfig | undefined;

/** The app's configuration, parsed once per server process. */
export function platformConfig(): AppConfig {
  cached ??= loadAppConfig();
  return cached;
}

import "server-only";
import { platformConfig } from "./config";
import {
  RunnerClient,
  RunnerError,
  isQueued,
  type EnsureAnswer,
  type EnsureRequest,
  type EnsureResult,
  type ExecResult,
  type RunnerLimits,
} from "@contract/runner-client";
import { signToken, type TokenRole } from "@contract/token";
import { tokenSigningKey } from "./secret";
import { parseDraining, parseRunners, type RunnerEndpoint } from "./fleet/config";
import { PlacementError, RunnerRegistry } from "./fleet/registry";

/**
 * The app's side of the sandbox runner (server only): one sandbox per learner, exercise setup once
 * per sandbox, Checks with COURSE_LANG, short-lived learner tokens for the browser's WebSocket.
 * The runner's HTTP API is reached through `runnerApi()`; its failures become SandboxProblem codes
 * the UI explains in the learner's language (runner down, capacity full, sandbox expired).
 */

export type SandboxErrorCode =
  | "runner-down"
  | "capacity"
  | "too-many-sandboxes"
  | "expired"
  | "unauthorized"
  | "not-found"
  | "invalid-input"
  | "storage-full"
  | "moved"
  | "queued"
  | "unknown";

export class SandboxProblem extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    /** Seconds to wait before trying again (capacity full, too many new sandboxes, asking again in line). */
    readonly retryAfter?: number,
    /** "queued": the learner's place in the runner's line (1 = next). */
    readonly position?: number,
  ) {
    super(message);
    this.name = "SandboxProblem";
  }
}

/**
 * What a server action answers when the sandbox side failed: a code the UI acts on and words from
 * the message catalogue (`sandboxErrors.<code>`, app/_i18n/sandbox-errors.ts); the detail stays in
 * the server log.
 */
export interface SandboxActionError {
  ok: false;
  code: SandboxErrorCode;
  /** Seconds before trying again is worth it (capacity full; in line: when to ask again). */
  retryAfter?: number;
  /** "queued": the learner's place in line (1 = next); asking again keeps it. */
  position?: number;
}

export function sandboxLang(locale: string): "pt-BR" | "en" {
  return locale.startsWith("en") ? "en" : "pt-BR";
}

/** Any failure of the sandbox side → the action's answer. */
export function actionError(e: unknown): SandboxActionError {
  const p = toProblem(e);
  return {
    ok: false,
    code: p.code,
    ...(p.retryAfter ? { retryAfter: p.retryAfter } : {}),
    ...(p.position ? { position: p.position } : {}),
  };
}

export type { ExecResult };
type SavedWork = import("./actions/sandbox").SavedWork;

/** What the app needs from the runner (RunnerClient satisfies it; tests may pass another). */
export interface RunnerApi {
  /**
   * `lang`: the language the sandbox's first shell greets the learner in. A full runner puts the
   * learner in its line: SandboxProblem "queued" with their place (asking again keeps it).
   */
  createSandbox(owner: string, lang?: "pt-BR" | "en"): Promise<{ id: string } & SavedWork>;
  /** null when the runner does not know the sandbox (expired, destroyed, runner restarted). */
  getSandbox(id: string): Promise<{ id: string; owner: string; state: string } | null>;
  listTerminals(id: string): Promise<{ id: string }[]>;
  destroySandbox(id: string): Promise<void>;
  exec(id: string, script: string, opts: { timeoutMs: number }): Promise<ExecResult>;
  /** Every Check in one call; 404 (expired) when the sandbox is gone or `owner` is not its owner. */
  runChecks(
    id: string,
    checks: { id: string; script: string; timeoutMs: number }[],
    opts: { owner?: string },
  ): Promise<{ results: (ExecResult & { id: string })[] }>;
  /** The runner's published limits (terminals per sandbox…): the app never restates them. */
  limits(): Promise<RunnerLimits>;
  /** This learner's sandbox, kept or made, its setup steps run once (the runner tracks them); "queued" as createSandbox. */
  ensure(req: EnsureRequest): Promise<EnsureResult>;
  /** Drain the runner (no new sandboxes; those there live out their time) or resume it. */
  setDraining(draining: boolean): Promise<{ draining: boolean }>;
}

const LEARNER_TOKEN_SECONDS = 120;

function config() {
  return platformConfig();
}

/**
 * Signs a runner token with the app's private key for one runner (audience = its name; default the
 * single runner, RUNNER_NAME): another runner of the fleet refuses it.
 */
export async function signRunnerToken(
  claims: { sub: string; sid: string; role: TokenRole },
  ttlSeconds: number,
  runner: string = config().RUNNER_NAME,
): Promise<{ token: string; expiresAt: number }> {
  const now = Date.now();
  const token = await signToken(tokenSigningKey(), claims, { ttlSeconds, now, runner });
  return { token, expiresAt: now + ttlSeconds * 1000 };
}

export function learnerToken(userId: string, sandboxId: string, runner?: string) {
  return signRunnerToken({ sub: userId, sid: sandboxId, role: "learner" }, LEARNER_TOKEN_SECONDS, runner);
}

/** Where browsers open the WebSocket: RUNNER_PUBLIC_URL, else the page's host on RUNNER_PORT (resolved by the client). */
const TERMINALS_PATH = "/v1/terminals";

export function runnerWsUrl(pageHost: string | null): string {
  const cfg = config();
  const base = cfg.RUNNER_PUBLIC_URL
    ? cfg.RUNNER_PUBLIC_URL.replace(/\/+$/, "")
    : `ws://${(pageHost ?? "localhost").replace(/:\d+$/, "")}:${cfg.RUNNER_PORT}`;
  return base.endsWith(TERMINALS_PATH) ? base : base + TERMINALS_PATH;
}

// ---------- HTTP API ----------

/** Turns the runner client's errors into the codes the UI explains. */
export function toProblem(e: unknown): SandboxProblem {
  if (e instanceof SandboxProblem) return e;
  if (e instanceof PlacementError)
    // Every runner full or draining: "busy, try again soon" is the truth for the learner.
    return e.reason === "all-full" || e.reason === "all-draining"
      ? new SandboxProblem("capacity", e.message)
      : new SandboxProblem("runner-down", e.message);
  if (e instanceof RunnerError) {
    // A draining runner is, for a new sandbox, as good as down: placement moves on to the next one.
    if (e.code === "unreachable" || e.code === "shutting-down" || e.code === "draining")
      return new SandboxProblem("runner-down", e.message);
    if (e.status === 503) return new SandboxProblem("capacity", e.message, e.retryAfter);
    if (e.status === 404) return new SandboxProblem("expired", e.message);
    if (e.status === 401 || e.status === 403)
      return new SandboxProblem(
        "unauthorized",
        `${e.message} (does the runner have the app's public key, DATA_DIR/keys/app-signing.pub or APP_PUBLIC_KEY, and the RUNNER_NAME the app uses?)`,
      );
    return new SandboxProblem("unknown", `runner answered ${e.status} ${e.code}: ${e.message}`);
  }
  return new SandboxProblem("unknown", (e as Error)?.message ?? String(e));
}

/** A sandbox, or the learner's place in the runner's line as a "queued" problem (the page shows it and asks again). */
export function served(a: EnsureAnswer): EnsureResult {
  if (!isQueued(a)) return a;
  const { position, waiting, pollAfterMs } = a.queued;
  throw new SandboxProblem(
    "queued",
    `the runner is full: number ${position} of ${waiting} in its line`,
    Math.max(1, Math.ceil(pollAfterMs / 1000)),
    position,
  );
}

function wrap<A extends unknown[], R>(fn: (...a: A) => Promise<R>): (...a: A) => Promise<R> {
  return async (...a) => {
    try {
      return await fn(...a);
    } catch (e) {
      throw toProblem(e);
    }
  };
}

/** The app's RunnerApi over a RunnerClient: every failure comes out as a SandboxProblem. */
export function runnerApiFor(c: RunnerClient): RunnerApi {
  return {
    // Through ensure, not POST /v1/sandboxes: a full runner then answers with a place in its line, not 'busy'.
    createSandbox: wrap(async (owner, lang) => served(await c.ensure({ owner, ...(lang ? { lang } : {}) })).sandbox),
    getSandbox: wrap((id) => c.getSandbox(id)),
    listTerminals: wrap((id) => c.listTerminals(id)),
    destroySandbox: wrap((id) => c.destroySandbox(id)),
    exec: wrap((id, script, opts) => c.exec(id, script, opts)),
    runChecks: wrap((id, checks, opts) => c.runChecks(id, checks, opts)),
    limits: wrap(() => c.limits()),
    ensure: wrap(async (req) => served(await c.ensure(req))),
    setDraining: wrap((on) => c.setDraining(on)),
  };
}

let api: RunnerApi | undefined;
export function runnerApi(): RunnerApi {
  api ??= runnerApiFor(new RunnerClient({ baseUrl: config().runnerUrl, privateKey: tokenSigningKey(), runner: config().RUNNER_NAME }));
  return api;
}
/** For integration tests that drive a runner started in-process. */
export function setRunnerApi(a: RunnerApi): void {
  api = a;
}

// ---------- the fleet: several runners ----------

let registry: RunnerRegistry | undefined;
const apis = new Map<string, RunnerApi>();

/** The runners this app uses (RUNNERS; unset: the one runner at RUNNER_URL, named RUNNER_NAME). */
export function fleet(): RunnerRegistry {
  if (!registry) {
    const cfg = config();
    const setting = parseRunners(cfg, {
      name: cfg.RUNNER_NAME,
      url: cfg.runnerUrl,
      ...(cfg.RUNNER_PUBLIC_URL ? { publicUrl: cfg.RUNNER_PUBLIC_URL } : {}),
    });
    registry = new RunnerRegistry(setting, { draining: parseDraining(cfg.RUNNERS_DRAINING) });
  }
  return registry;
}

/** The API of one runner of the fleet (a test's setRunnerApi stands for the local one). */
export function runnerApiOn(r: RunnerEndpoint): RunnerApi {
  if (api && r.name === config().RUNNER_NAME) return api;
  const key = `${r.name} ${r.url}`;
  let a = apis.get(key);
  if (!a) {
    // Tokens for this runner name it as their audience: no other runner accepts them.
    a = runnerApiFor(new RunnerClient({ baseUrl: r.url, privateKey: tokenSigningKey(), runner: r.name }));
    apis.set(key, a);
  }
  return a;
}

/** The runner a session names (null: sessions from before the fleet, on the local runner). */
export function runnerNamed(name: string | null): RunnerEndpoint {
  const r = fleet().endpoint(name ?? config().RUNNER_NAME);
  if (!r) throw new SandboxProblem("moved", `runner ${name} is not in RUNNERS any more`);
  return r;
}

/** Where browsers open a runner's WebSocket: its public URL, else (one machine) the page's host. */
export function runnerWsUrlOf(r: RunnerEndpoint, pageHost: string | null): string {
  if (!r.publicUrl) return runnerWsUrl(pageHost);
  const base = r.publicUrl.replace(/\/+$/, "");
  return base.endsWith(TERMINALS_PATH) ? base : base + TERMINALS_PATH;
}

// ---------- scripts ----------

/** Shell-quotes a value for `export NAME=...`. */
export function shq(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/** A Check script with the learner's language in COURSE_LANG (checks print their message in it). */
export function checkScript(script: string, lang: string): string {
  return `export COURSE_LANG=${shq(lang)}\n${script}`;
}

/**
 * Exercise setup guarded by a marker inside the sandbox, so it runs once per sandbox per exercise
 * (even across app restarts) and a fresh sandbox gets it again.
 */
export function setupOnceScript(exerciseId: string, script: string): string {
  const marker = `/var/lib/course-setup/${exerciseId}`;
  return [
    `if [ -e ${shq(marker)} ]; then exit 0; fi`,
    `( ${"\n"}${script}${"\n"} ) || exit $?`,
    `mkdir -p /var/lib/course-setup && : > ${shq(marker)}`,
  ].join("\n");
}

/** The message a learner sees for a Check: what the script printed, or a stand-in when it printed nothing. */
export function checkMessage(r: ExecResult, lang: string): string {
  const out = r.output.trim();
  if (r.timedOut)
    return lang.startsWith("en")
      ? "The check took too long and was stopped. Try again."
      : "A verificação demorou demais e foi interrompida. Tente de novo.";
  if (out) return out;
  if (r.exitCode === 0) return "";
  return lang.startsWith("en") ? "Not done yet." : "Ainda não.";
}

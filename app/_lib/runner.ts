import { loadRunnerConfig } from "@runner/config/config";
import { signToken, type TokenRole } from "@runner/server/token";
import { platformSecret } from "./secret";

/**
 * The app's side of the sandbox runner (server only): one sandbox per learner, exercise setup once
 * per sandbox, Checks with COURSE_LANG, short-lived learner tokens for the browser's WebSocket.
 * The runner's HTTP API is reached through `runnerApi()`; its failures become SandboxProblem codes
 * the UI explains (runner down, capacity full, sandbox expired).
 */

export type SandboxErrorCode = "runner-down" | "capacity" | "expired" | "unauthorized" | "not-found" | "unknown";

export class SandboxProblem extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SandboxProblem";
  }
}

export interface ExecResult {
  exitCode: number;
  output: string;
  durationMs: number;
  timedOut: boolean;
  truncated: boolean;
}

export interface RunnerApi {
  createSandbox(owner: string): Promise<{ id: string }>;
  /** null when the runner does not know the sandbox (expired, destroyed, runner restarted). */
  getSandbox(id: string): Promise<{ id: string; owner: string; state: string; terminals: string[] } | null>;
  destroySandbox(id: string): Promise<void>;
  exec(id: string, script: string, opts: { timeoutMs: number }): Promise<ExecResult>;
}

// Only the WebSocket's first frame needs it; each reconnection asks the app for a new one.
const LEARNER_TOKEN_SECONDS = 120;

function config() {
  return loadRunnerConfig();
}

/** Signs a runner token with the shared secret (the runner's own signToken: audience, issuer, HS256). */
export async function signRunnerToken(claims: { sub: string; sid: string; role: TokenRole }, ttlSeconds: number): Promise<{ token: string; expiresAt: number }> {
  const now = Date.now();
  const token = await signToken(platformSecret(), claims, { ttlSeconds, now });
  return { token, expiresAt: now + ttlSeconds * 1000 };
}

export function learnerToken(userId: string, sandboxId: string) {
  return signRunnerToken({ sub: userId, sid: sandboxId, role: "learner" }, LEARNER_TOKEN_SECONDS);
}

/** Where browsers open the WebSocket: RUNNER_PUBLIC_URL, else the page's host on RUNNER_PORT (resolved by the client). */
export function runnerWsUrl(pageHost: string | null): string {
  const cfg = config();
  if (cfg.RUNNER_PUBLIC_URL) return cfg.RUNNER_PUBLIC_URL.replace(/\/$/, "") + "/ws";
  const host = (pageHost ?? "localhost").replace(/:\d+$/, "");
  return `ws://${host}:${cfg.RUNNER_PORT}/ws`;
}

// ---------- HTTP API ----------

async function call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
  const cfg = config();
  const { token } = await signRunnerToken({ sub: "app", sid: "*", role: "app" }, 60);
  let res: Response;
  try {
    res = await fetch(cfg.runnerUrl + path, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.json !== undefined ? { "content-type": "application/json" } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      signal: AbortSignal.timeout(120_000),
      cache: "no-store",
    });
  } catch (e) {
    throw new SandboxProblem("runner-down", `The sandbox runner at ${cfg.runnerUrl} did not answer (${(e as Error).message}).`);
  }
  if (res.status === 503) throw new SandboxProblem("capacity", await text(res, "the runner is at capacity"));
  if (res.status === 401 || res.status === 403) throw new SandboxProblem("unauthorized", await text(res, "the runner refused the app's token (is RUNNER_SECRET the same for both?)"));
  return res;
}

async function text(res: Response, fallback: string): Promise<string> {
  const body = await res.text().catch(() => "");
  try {
    const j = JSON.parse(body) as { message?: string; error?: string };
    return j.message ?? j.error ?? fallback;
  } catch {
    return body || fallback;
  }
}

async function ok<T>(res: Response, what: string): Promise<T> {
  if (res.status === 404) throw new SandboxProblem("expired", `${what}: ${await text(res, "sandbox not found")}`);
  if (!res.ok) throw new SandboxProblem("unknown", `${what} failed (${res.status}): ${await text(res, res.statusText)}`);
  return (await res.json()) as T;
}

export const httpRunnerApi: RunnerApi = {
  async createSandbox(owner) {
    return ok<{ id: string }>(await call("/sandboxes", { method: "POST", json: { owner } }), "creating a sandbox");
  },
  async getSandbox(id) {
    const res = await call(`/sandboxes/${encodeURIComponent(id)}`);
    if (res.status === 404) return null;
    const j = await ok<{ id: string; owner: string; state: string; terminals?: (string | { id: string })[] }>(res, "reading a sandbox");
    return { id: j.id, owner: j.owner, state: j.state, terminals: (j.terminals ?? []).map((t) => (typeof t === "string" ? t : t.id)) };
  },
  async destroySandbox(id) {
    const res = await call(`/sandboxes/${encodeURIComponent(id)}`, { method: "DELETE" });
    if (res.status !== 404 && !res.ok) throw new SandboxProblem("unknown", `destroying sandbox ${id} failed (${res.status})`);
  },
  async exec(id, script, opts) {
    return ok<ExecResult>(await call(`/sandboxes/${encodeURIComponent(id)}/exec`, { method: "POST", json: { script, timeoutMs: opts.timeoutMs } }), "running a script in the sandbox");
  },
};

let api: RunnerApi = httpRunnerApi;
export function runnerApi(): RunnerApi {
  return api;
}
/** For integration tests that drive a runner started in-process. */
export function setRunnerApi(a: RunnerApi): void {
  api = a;
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
  if (r.timedOut) return lang.startsWith("en") ? "The check took too long and was stopped. Try again." : "A verificação demorou demais e foi interrompida. Tente de novo.";
  if (out) return out;
  if (r.exitCode === 0) return "";
  return lang.startsWith("en") ? "Not done yet." : "Ainda não.";
}

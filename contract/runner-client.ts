/**
 * Server-side client of one runner's HTTP API, for the Next.js app. Every request carries a fresh
 * app token signed with the app's private key for that runner (its name is the token's audience);
 * `terminalToken` signs the short-lived learner/observer tokens the browser puts in its HELLO frame.
 * Never import this into a client component (the key would ship to the browser).
 */
import { signToken, type TokenRole } from "./token";
import type {
  BatchCheckResult,
  EnsureAnswer,
  EnsureQueued,
  EnsureRequest,
  EnsureResult,
  ExecResult,
  RecordingInfo,
  RunnerLimits,
  SandboxInfo,
  TerminalSummary,
} from "./types";

export type {
  BatchCheckResult,
  EnsureAnswer,
  EnsureQueued,
  EnsureRequest,
  EnsureResult,
  ExecResult,
  RecordingInfo,
  RunnerLimits,
  SandboxInfo,
  TerminalSummary,
};

export class RunnerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before retrying (503 busy). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "RunnerError";
  }
}

export interface RunnerClientOptions {
  /** http://127.0.0.1:3001 */
  baseUrl: string;
  /** The app's Ed25519 private key (PKCS#8 PEM) that signs every token. */
  privateKey: string;
  /** The runner's name: tokens are made for it alone (default "local"). */
  runner?: string;
  fetch?: typeof fetch;
}

export class RunnerClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly o: RunnerClientOptions) {
    this.base = o.baseUrl.replace(/\/+$/, "");
    this.fetchImpl = o.fetch ?? fetch;
  }

  /** ws(s)://…/v1/terminals, for the browser. */
  get terminalsUrl(): string {
    return this.base.replace(/^http/, "ws") + "/v1/terminals";
  }

  terminalToken(userId: string, sandboxId: string, role: Exclude<TokenRole, "app"> = "learner", ttlSeconds?: number): Promise<string> {
    return signToken(this.o.privateKey, { sub: userId, sid: sandboxId, role }, { ttlSeconds, runner: this.o.runner });
  }

  async health(): Promise<{ ok: boolean; sandboxes: number; terminals: number; draining?: boolean }> {
    return this.json("GET", "/healthz", { auth: "none" });
  }

  /** Drain (no new sandboxes; those there live out their time) or resume; answers the state now. */
  setDraining(draining: boolean): Promise<{ draining: boolean }> {
    return this.json("PUT", "/v1/drain", { body: { draining } });
  }

  /** What each sandbox of this runner may use (terminals per sandbox, memory…). */
  limits(): Promise<RunnerLimits> {
    return this.json("GET", "/v1/limits");
  }

  /** `lang`: the language the first shell greets in; `shell: false` for sandboxes that only run scripts. */
  createSandbox(owner: string, opts: { lang?: "pt-BR" | "en"; shell?: boolean } = {}): Promise<SandboxInfo> {
    return this.json("POST", "/v1/sandboxes", { body: { owner, ...opts } });
  }

  /**
   * This owner's sandbox, made or kept, with its setup steps run once (see EnsureRequest); or, when
   * the runner is full, the owner's place in its line (EnsureQueued, HTTP 202: ask again to keep it).
   */
  ensure(req: EnsureRequest): Promise<EnsureAnswer> {
    return this.json("POST", "/v1/sandboxes/ensure", { body: req });
  }

  listSandboxes(): Promise<SandboxInfo[]> {
    return this.json("GET", "/v1/sandboxes");
  }

  /** null when the sandbox does not exist (expired or destroyed). */
  async getSandbox(id: string): Promise<SandboxInfo | null> {
    try {
      return await this.json<SandboxInfo>("GET", `/v1/sandboxes/${encodeURIComponent(id)}`);
    } catch (e) {
      if (e instanceof RunnerError && e.status === 404) return null;
      throw e;
    }
  }

  /** A reset: the owner's saved files go too, unless `keepFiles` (then it ends as an idle timeout would). */
  async destroySandbox(id: string, opts: { keepFiles?: boolean } = {}): Promise<void> {
    try {
      await this.json("DELETE", `/v1/sandboxes/${encodeURIComponent(id)}${opts.keepFiles ? "?keep=files" : ""}`);
    } catch (e) {
      if (!(e instanceof RunnerError && e.status === 404)) throw e;
    }
  }

  exec(id: string, script: string, opts: { timeoutMs?: number; maxOutputBytes?: number; stdin?: string } = {}): Promise<ExecResult> {
    return this.json("POST", `/v1/sandboxes/${encodeURIComponent(id)}/exec`, { body: { script, ...opts } });
  }

  /**
   * Runs every Check in one call (one exec in the sandbox), results in the same order. `owner`: the
   * owner the caller knows; the runner answers 404 when the sandbox is gone or someone else's.
   */
  runChecks(
    id: string,
    checks: { id: string; script: string; timeoutMs: number }[],
    opts: { owner?: string } = {},
  ): Promise<{ results: BatchCheckResult[]; durationMs: number }> {
    return this.json("POST", `/v1/sandboxes/${encodeURIComponent(id)}/checks`, { body: { checks, ...opts } });
  }

  listTerminals(id: string): Promise<TerminalSummary[]> {
    return this.json("GET", `/v1/sandboxes/${encodeURIComponent(id)}/terminals`);
  }

  /** The recordings of a sandbox still on the runner's disk (caps and retention delete the rest). */
  listRecordings(sandboxId: string): Promise<RecordingInfo[]> {
    return this.json("GET", `/v1/recordings/${encodeURIComponent(sandboxId)}`);
  }

  /** The asciicast v2 text, or null when there is none. */
  async recording(sandboxId: string, terminalId: string): Promise<string | null> {
    const res = await this.request("GET", `/v1/recordings/${encodeURIComponent(sandboxId)}/${encodeURIComponent(terminalId)}`);
    if (res.status === 404) return null;
    if (!res.ok) throw await toError(res);
    return res.text();
  }

  /** `auth: "none"` for the runner's open endpoints (/healthz); an app token otherwise. */
  private async request(method: string, path: string, o: { body?: unknown; auth?: "app" | "none" } = {}): Promise<Response> {
    const { body, auth = "app" } = o;
    const headers: Record<string, string> = {};
    if (auth === "app")
      headers.authorization = `Bearer ${await signToken(this.o.privateKey, { sub: "app", sid: "*", role: "app" }, { runner: this.o.runner })}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await this.fetchImpl(this.base + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      throw new RunnerError(
        503,
        "unreachable",
        `the sandbox runner at ${this.base} is not reachable (${(e as Error).message}); is it running?`,
      );
    }
  }

  private async json<T>(method: string, path: string, o: { body?: unknown; auth?: "app" | "none" } = {}): Promise<T> {
    const res = await this.request(method, path, o);
    if (!res.ok) throw await toError(res);
    if (res.status === 204) return undefined as T;
    return (await res.json()) as T;
  }
}

/** Whether ensure's answer is a place in line rather than a sandbox. */
export const isQueued = (a: EnsureAnswer): a is EnsureQueued => "queued" in a;

async function toError(res: Response): Promise<RunnerError> {
  let code = "http-" + res.status;
  let message = `runner answered ${res.status}`;
  try {
    const j = (await res.json()) as { error?: string; message?: string };
    if (j.error) code = j.error;
    if (j.message) message = j.message;
  } catch {
    /* not JSON */
  }
  const ra = Number(res.headers.get("retry-after"));
  return new RunnerError(res.status, code, message, Number.isFinite(ra) && ra > 0 ? ra : undefined);
}

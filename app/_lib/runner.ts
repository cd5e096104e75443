import "server-only";
import { platformConfig } from "./config";
import {
  RunnerClient,
  RunnerError,
  type EnsureRequest,
  type EnsureResult,
  type ExecResult,
  type RunnerLimits,
} from "@contract/runner-client";
import { signToken, type TokenRole } from "@contract/token";
import { tokenSigningKey } from "./secret";

/**
 * The app's side of the sandbox runner (server only): one sandbox per learner, exercise setup once
 * per sandbox, Checks with COURSE_LANG, short-lived learner tokens for the browser's WebSocket.
 * The runner's HTTP API is reached through `runnerApi()`; its failures become SandboxProblem codes
 * the UI explains (runner down, capacity full, sandbox expired).
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
  | "unknown";

export class SandboxProblem extends Error {
  constructor(
    readonly code: SandboxErrorCode,
    message: string,
    /** Seconds to wait before trying again (capacity full, too many new sandboxes). */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = "SandboxProblem";
  }
}

/** What a server action answers when the sandbox side failed: a code the UI acts on, a message in the learner's language. */
export interface SandboxActionError {
  ok: false;
  code: SandboxErrorCode;
  message: string;
  /** Seconds before trying again is worth it (capacity full). */
  retryAfter?: number;
}

const waitPt = (s: number) => (s < 90 ? `${s} segundos` : `${Math.ceil(s / 60)} minutos`);
const waitEn = (s: number) => (s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`);

const MESSAGES: Record<"pt-BR" | "en", Record<SandboxErrorCode, (retryAfter?: number) => string>> = {
  "pt-BR": {
    "runner-down": () =>
      "O serviço de sandboxes não responde. Ele pode estar reiniciando: tente de novo em alguns segundos. Seu progresso está salvo.",
    capacity: (s) =>
      `Todos os sandboxes estão ocupados agora. Tente de novo ${s ? `em ${s} segundos` : "em um minuto"}; seu progresso está salvo.`,
    "too-many-sandboxes": (s) =>
      `Muitos sandboxes novos foram pedidos daqui em pouco tempo. Tente de novo ${s ? `em ${waitPt(s)}` : "em alguns minutos"}; seu progresso está salvo. Entrar com uma conta evita o limite da rede compartilhada.`,
    expired: () => "Seu sandbox anterior expirou; um novo foi criado.",
    unauthorized: () =>
      "O serviço de sandboxes recusou a identificação do app. Recarregue a página; se continuar, avise quem administra o curso.",
    "not-found": () => "Esta lição não existe mais. Volte ao mapa do curso.",
    "invalid-input": () => "A página enviou algo que o servidor não aceita. Recarregue a página.",
    "storage-full": () =>
      "O servidor não conseguiu guardar sua verificação: o disco de dados parece cheio. Avise quem administra o curso; o que já estava salvo continua salvo.",
    unknown: () => "Algo deu errado com o sandbox. Tente de novo.",
  },
  en: {
    "runner-down": () => "The sandbox service is not answering. It may be restarting: try again in a few seconds. Your progress is saved.",
    capacity: (s) => `All sandboxes are busy right now. Try again ${s ? `in ${s} seconds` : "in a minute"}; your progress is saved.`,
    "too-many-sandboxes": (s) =>
      `Too many new sandboxes were asked for from here in a short time. Try again ${s ? `in ${waitEn(s)}` : "in a few minutes"}; your progress is saved. Signing in with an account avoids the shared network's limit.`,
    expired: () => "Your previous sandbox expired; a fresh one was created.",
    unauthorized: () =>
      "The sandbox service refused the app's credentials. Reload the page; if it persists, tell the course administrator.",
    "not-found": () => "This lesson no longer exists. Go back to the course map.",
    "invalid-input": () => "The page sent something the server does not accept. Reload the page.",
    "storage-full": () =>
      "The server could not keep your check: its data disk seems full. Tell the course administrator; what was saved before is still saved.",
    unknown: () => "Something went wrong with the sandbox. Try again.",
  },
};

export function sandboxLang(locale: string): "pt-BR" | "en" {
  return locale.startsWith("en") ? "en" : "pt-BR";
}

/** The learner's message for a problem code, in their language. */
export function problemMessage(code: SandboxErrorCode, locale: string, retryAfter?: number): string {
  return MESSAGES[sandboxLang(locale)][code](retryAfter);
}

/** Any failure of the sandbox side → the action's answer (the detail stays in the server log). */
export function actionError(e: unknown, locale: string): SandboxActionError {
  const p = toProblem(e);
  return {
    ok: false,
    code: p.code,
    message: problemMessage(p.code, locale, p.retryAfter),
    ...(p.retryAfter ? { retryAfter: p.retryAfter } : {}),
  };
}

export type { ExecResult };

/** What the app needs from the runner (RunnerClient satisfies it; tests may pass another). */
export interface RunnerApi {
  /** `lang`: the language the sandbox's first shell greets the learner in. */
  createSandbox(owner: string, lang?: "pt-BR" | "en"): Promise<{ id: string }>;
  /** null when the runner does not know the sandbox (expired, destroyed, runner restarted). */
  getSandbox(id: string): Promise<{ id: string; owner: string; state: string } | null>;
  listTerminals(id: string): Promise<{ id: string }[]>;
  destroySandbox(id: string): Promise<void>;
  exec(id: string, script: string, opts: { timeoutMs: number }): Promise<ExecResult>;
  /** The runner's published limits (terminals per sandbox…): the app never restates them. */
  limits(): Promise<RunnerLimits>;
  /** This learner's sandbox, kept or made, its setup steps run once (the runner tracks them). */
  ensure(req: EnsureRequest): Promise<EnsureResult>;
}

const LEARNER_TOKEN_SECONDS = 120;

function config() {
  return platformConfig();
}

/** Signs a runner token with the app's private key, for the runner it uses (audience = RUNNER_NAME). */
export async function signRunnerToken(
  claims: { sub: string; sid: string; role: TokenRole },
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: number }> {
  const now = Date.now();
  const token = await signToken(tokenSigningKey(), claims, { ttlSeconds, now, runner: config().RUNNER_NAME });
  return { token, expiresAt: now + ttlSeconds * 1000 };
}

export function learnerToken(userId: string, sandboxId: string) {
  return signRunnerToken({ sub: userId, sid: sandboxId, role: "learner" }, LEARNER_TOKEN_SECONDS);
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
  if (e instanceof RunnerError) {
    if (e.code === "unreachable" || e.code === "shutting-down") return new SandboxProblem("runner-down", e.message);
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
    createSandbox: wrap((owner, lang) => c.createSandbox(owner, lang ? { lang } : {})),
    getSandbox: wrap((id) => c.getSandbox(id)),
    listTerminals: wrap((id) => c.listTerminals(id)),
    destroySandbox: wrap((id) => c.destroySandbox(id)),
    exec: wrap((id, script, opts) => c.exec(id, script, opts)),
    limits: wrap(() => c.limits()),
    ensure: wrap((req) => c.ensure(req)),
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

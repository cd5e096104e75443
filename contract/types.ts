/**
 * The shapes the runner's HTTP API answers with and the app reads: plain data, the same on both
 * sides of the wire (JSON). The runner builds them; the app and its tests only read them.
 */

/** A sandbox's life: creating → running → stopping → gone. */
export type SandboxState = "creating" | "running" | "stopping" | "gone";

/** What the API shows of a sandbox. */
export interface SandboxInfo {
  id: string;
  /** The user the runner lets open its terminals (a learner token's `sub` must name it). */
  owner: string;
  state: SandboxState;
  createdAt: number;
  lastActivityAt: number;
  hostname: string;
  /** When it starts: ISO time the owner's restored files were saved. */
  restoredFrom?: string;
  /** When it starts: the owner's last sandbox's files could not be kept (when it ended, why, the cap in MiB). */
  notKept?: { at: string; reason: "too-big" | "quota" | "failed"; limitMb?: number };
}

/** What a script (a Check, an exercise's setup) run in a sandbox gave back. */
export interface ExecResult {
  exitCode: number;
  /** stdout and stderr interleaved, as the script wrote them. */
  output: string;
  durationMs: number;
  timedOut: boolean;
  /** The output went past maxOutputBytes: the rest was dropped and the script stopped. */
  truncated: boolean;
}
export interface ExecOptions {
  timeoutMs?: number;
  maxOutputBytes?: number;
  stdin?: string;
}

/** A sandbox's Terminal (tab) as the runner lists it. */
export interface TerminalSummary {
  id: string;
  createdAt: number;
  cols: number;
  rows: number;
  clients: number;
}

/** One Terminal's recording still on the runner's disk (caps and retention delete the rest). */
export interface RecordingInfo {
  terminalId: string;
  bytes: number;
  modifiedAt: number;
  live: boolean;
}

export type CourseLanguage = "pt-BR" | "en";

export interface CreateOptions {
  /**
   * Start the first Terminal's shell with the container (default true): its prompt is ready before
   * anyone connects. Off for sandboxes that only run scripts (the CLI's exec).
   */
  shell?: boolean;
  /** The learner's language for the shell's welcome text (CURSO_LANG in the sandbox). */
  lang?: CourseLanguage;
}

/** What a runner allows each sandbox, published at GET /v1/limits: the app reads these, never restates them. */
export interface RunnerLimits {
  /** Most Terminals (tabs) one sandbox may have open. */
  terminalsPerSandbox: number;
  /** Most sandboxes running at once on this runner. */
  capacity: number;
  memoryMb: number;
  cpus: number;
  diskMb: number;
  idleMinutes: number;
  maxMinutes: number;
}

/**
 * POST /v1/sandboxes/ensure: "this owner's sandbox, this language, these setup steps". Idempotent:
 * the sandbox named (or else the owner's running one) is kept when it runs, a new one is made
 * otherwise; each setup step runs once per sandbox per (key, script), tracked by the runner, so an
 * app that restarted (or a second app process) carries on with no state of its own.
 */
export interface EnsureRequest {
  owner: string;
  /** The sandbox the app last recorded for this learner, if any. */
  sandboxId?: string;
  lang?: CourseLanguage;
  /** Destroy the sandbox named (or the owner's) and make a fresh one (the learner's reset). */
  fresh?: boolean;
  setup?: SetupStep[];
}
export interface SetupStep {
  /** What the step sets up (an exercise id, "lang"): a key runs again only when its script changes. */
  key: string;
  script: string;
  timeoutMs?: number;
}
export interface EnsureResult {
  sandbox: SandboxInfo;
  /** A new sandbox was made (the one named was gone, or none was named). */
  created: boolean;
  terminals: TerminalSummary[];
  limits: RunnerLimits;
  /** The steps this call ran (those already done are left out), with how they ended. */
  setup: { key: string; exitCode: number; output: string }[];
}

/**
 * POST /v1/sandboxes/ensure's answer (HTTP 202) when the owner has no sandbox and the runner has no
 * room for one (SANDBOX_CAPACITY reached, or others already wait): the owner's place in the runner's
 * line. Asking again with the same body keeps the place and says the owner is still there; not asking
 * for `leaveAfterMs` drops them out. When room frees, the first in line is admitted: their sandbox
 * starts at once and their next ask gets it (an EnsureResult, HTTP 200, `created: true`).
 */
export interface EnsureQueued {
  queued: {
    /** 1: next to get a sandbox. */
    position: number;
    /** How many wait in line now (this owner included). */
    waiting: number;
    /** Ask again after this long. */
    pollAfterMs: number;
    /** Not asking again for this long drops the owner out of the line. */
    leaveAfterMs: number;
  };
}
export type EnsureAnswer = EnsureResult | EnsureQueued;

/** One Check's result from POST /v1/sandboxes/:id/checks (every due Check in one exec), in request order. */
export interface BatchCheckResult extends ExecResult {
  id: string;
}

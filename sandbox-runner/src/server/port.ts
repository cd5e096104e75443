import type { BatchCheck, BatchCheckResult, CheckPathStats, CreateOptions, ExecOptions, ExecResult, SandboxInfo } from "../sandbox/manager";
import type { PtyLike } from "../terminal/terminal";

/** What the server uses of the SandboxManager (narrow, so tests can drive the server with host shells). */
export interface SandboxPort {
  create(owner: string, opts?: CreateOptions): Promise<SandboxInfo>;
  get(id: string): SandboxInfo | undefined;
  list(): SandboxInfo[];
  /** `keepFiles`: end it as a timeout would, the owner's files saved (else they are discarded, a reset). */
  destroy(id: string, opts?: { keepFiles?: boolean }): Promise<void>;
  exec(id: string, script: string, opts?: ExecOptions): Promise<ExecResult>;
  spawnTerminal(id: string, opts: { cols: number; rows: number }): PtyLike | Promise<PtyLike>;
  touch(id: string): void;
  on(event: "destroyed", listener: (e: { id: string }) => void): unknown;
  /** A batch of Checks its own way (the manager: through the sandbox's Check agent); without it, one exec per batch. */
  runChecks?(id: string, checks: readonly BatchCheck[]): Promise<BatchCheckResult[]>;
  /** Counts of runc execs and Check agents, for /metrics. */
  checkPathStats?(): CheckPathStats;
  /** How many more sandboxes fit now (absent: the server finds out from create()'s 'busy'). */
  room?(): number;
  /** `n` learners wait in line for room: keep it for them (the warm pool starts nothing into it). */
  reserve?(n: number): void;
  /** Starts under way, the most ever at once, the warm pool's ready sandboxes (for /metrics). */
  stats?(): { starts: { active: number; peak: number; waiting: number }; pool: { ready: number } };
}

export type { ExecResult, SandboxInfo };

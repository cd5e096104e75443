import type { CreateOptions, ExecOptions, ExecResult, SandboxInfo } from "../sandbox/manager";
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
}

export type { ExecResult, SandboxInfo };

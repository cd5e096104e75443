import { randomBytes } from "node:crypto";
import path from "node:path";
import { cgroupsPathFor } from "../container/cgroups";
import { sandboxHostname } from "../container/spec";
import type { ContainerState } from "../container/state";
import type { PreparedShell } from "./prepared-shell";
import type { SandboxInfo } from "../../../contract/types";
import type { SavedWorkNotice } from "./saved-work";
import type { CheckAgentSlot } from "./check-agent";

export type { SandboxInfo };

/** One sandbox as the manager tracks it. A warm-pool sandbox has no owner until create() hands it out. */
export interface SandboxRecord {
  id: string;
  hostname: string;
  owner?: string;
  state: ContainerState;
  createdAt: number;
  lastActivityAt: number;
  /** Its host dir (mounts, bundle, console sockets, exec pid files). */
  dir: string;
  cgroupsPath: string;
  /** Host pid of the container's init, once running. */
  initPid?: number;
  ready: Promise<void>;
  stopping?: Promise<void>;
  /** The login shell started with the container, until the first Terminal adopts it. */
  prepared?: PreparedShell;
  /** Console sockets made so far (each runc call gets its own path). */
  consoles: number;
  /** Which owner uid of the range its user namespace has (see userns.ts); released at stop. */
  slot?: number;
  idleTimer?: NodeJS.Timeout;
  maxTimer?: NodeJS.Timeout;
  /** Its owner's saved work restored into it, or why their last files were not kept. */
  savedWork?: SavedWorkNotice;
  /** Its Check path (the Check agent, see check-agent.ts), from its first batch of Checks. */
  checks?: CheckAgentSlot;
}

/** The n-th console socket of a sandbox: in its host dir, never inside the container. */
export const consoleSocketPath = (sandboxDir: string, n: number) => path.join(sandboxDir, `console-${n}.sock`);

export function newRecord(sandboxesDir: string, cgroupParent: string, owner?: string): SandboxRecord {
  const id = randomBytes(8).toString("hex");
  const now = Date.now();
  return {
    id,
    hostname: sandboxHostname(id),
    owner,
    state: "creating",
    createdAt: now,
    lastActivityAt: now,
    dir: path.join(sandboxesDir, id),
    cgroupsPath: cgroupsPathFor(cgroupParent, id),
    ready: Promise.resolve(),
    consoles: 0,
  };
}

/** A fresh unix socket path for one runc call. */
export const nextConsolePath = (rec: SandboxRecord): string => consoleSocketPath(rec.dir, ++rec.consoles);

export function infoOf(rec: SandboxRecord & { owner: string }): SandboxInfo {
  const { id, owner, state, createdAt, lastActivityAt, hostname } = rec;
  return { id, owner, state, createdAt, lastActivityAt, hostname, ...rec.savedWork };
}

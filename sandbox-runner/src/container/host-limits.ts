/**
 * Host-wide kernel limits checked at the runner's start, sized for SANDBOX_CAPACITY sandboxes each at
 * its caps, and raised when lower (never lowered; each change is logged).
 *
 * - fs.file-max is one count for the whole host: each sandbox may open up to SANDBOX_PIDS × NOFILE
 *   files (1024 × 256 = 262 144 by default), so capacity × that, plus room for the host. Root on the
 *   host is not bound by it (CAP_SYS_ADMIN), other host users are.
 * - fs.inotify.max_user_instances / max_user_watches are per host uid: since each sandbox's user
 *   namespace has an owner uid of its own (userns.ts), they are each sandbox's totals, so they only
 *   need to be at least the sandbox's own caps for the lessons to get what they were promised.
 */
import { readFile, writeFile } from "node:fs/promises";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/config";
import { SANDBOX_RLIMITS, SANDBOX_USER_LIMITS } from "./userns";

/** Files the host itself may need beside the sandboxes. */
const HOST_FILES = 65_536;

export interface HostLimit {
  sysctl: string;
  need: number;
}

export function neededHostLimits(cfg: Pick<RunnerConfig, "SANDBOX_CAPACITY" | "SANDBOX_PIDS">): HostLimit[] {
  return [
    { sysctl: "fs.file-max", need: cfg.SANDBOX_CAPACITY * cfg.SANDBOX_PIDS * SANDBOX_RLIMITS.RLIMIT_NOFILE + HOST_FILES },
    { sysctl: "fs.inotify.max_user_instances", need: SANDBOX_USER_LIMITS.max_inotify_instances },
    { sysctl: "fs.inotify.max_user_watches", need: SANDBOX_USER_LIMITS.max_inotify_watches },
  ];
}

const sysctlPath = (name: string) => `/proc/sys/${name.replaceAll(".", "/")}`;

/** Raises every limit of neededHostLimits() that is lower; logs each change, warns when one cannot be made. */
export async function ensureHostLimits(cfg: RunnerConfig, log: Logger): Promise<void> {
  for (const { sysctl, need } of neededHostLimits(cfg)) {
    const file = sysctlPath(sysctl);
    const now = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (!Number.isFinite(now) || now >= need) continue;
    try {
      await writeFile(file, `${need}\n`);
      log.info({ sysctl, from: now, to: need }, `raised ${sysctl} for SANDBOX_CAPACITY sandboxes at their caps`);
    } catch (e) {
      log.warn({ err: e, sysctl, now, need }, `${sysctl} is ${now}, lower than the sandboxes need (${need}); set it with sysctl`);
    }
  }
}

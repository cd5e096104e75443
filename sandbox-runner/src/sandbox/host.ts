import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Logger } from "pino";
import type { RunnerConfig } from "../config/config";
import { blockDeviceOf } from "../container/block-device";
import { swapLimitSupported } from "../container/cgroups";
import { MAX_SOCKET_PATH } from "../container/console-socket";
import { ensureHostLimits } from "../container/host-limits";
import { translateSeccompProfile, type EngineSeccompProfile, type OciSeccomp } from "../container/seccomp";
import { SANDBOX_CAPABILITIES } from "../container/spec";
import { MAX_UID, OwnedUserNamespace, sandboxOwnerUid } from "../container/userns";
import { consoleSocketPath } from "./record";
import { ownerUidOptions, slotRange } from "./slots";

const DEFAULT_SECCOMP_PROFILE = "/usr/share/containers/seccomp.json";

/** What every Bundle of this host gets, worked out once at init(). */
export interface HostSetup {
  seccomp: OciSeccomp | null;
  swapLimit: boolean;
  /** The throttle for the device holding the Snapshots; undefined when it is not a block device. */
  blockIO?: { major: number; minor: number; bytesPerSecond: number; iops: number };
}

/**
 * Checks the host can run sandboxes and prepares what they share: the seccomp filter, the swap and
 * block-I/O limits, the host's own limits. Fails here, with the reason, rather than at the first
 * learner's sandbox.
 */
export async function prepareHost(
  cfg: RunnerConfig,
  sandboxesDir: string,
  snapshotDir: string | undefined,
  log: Logger,
  seccompProfilePath = DEFAULT_SECCOMP_PROFILE,
): Promise<HostSetup> {
  const longest = consoleSocketPath(path.join(sandboxesDir, "0".repeat(16)), 999);
  if (Buffer.byteLength(longest) > MAX_SOCKET_PATH)
    throw new Error(
      `DATA_DIR is too long: the terminals' unix sockets under it (${longest}) must fit in ${MAX_SOCKET_PATH} bytes. Choose a shorter DATA_DIR.`,
    );
  let seccomp: OciSeccomp | null = null;
  if (!cfg.DEV_NO_SECCOMP) {
    if (!existsSync(seccompProfilePath))
      throw new Error(
        `Seccomp profile ${seccompProfilePath} not found: install it with \`apt-get install golang-github-containers-common\` (or set DEV_NO_SECCOMP=1 for debugging only).`,
      );
    const profile = JSON.parse(await readFile(seccompProfilePath, "utf8")) as EngineSeccompProfile;
    seccomp = translateSeccompProfile(profile, { capabilities: SANDBOX_CAPABILITIES, kernelRelease: os.release() });
  } else {
    log.warn("DEV_NO_SECCOMP is set: sandboxes run without a seccomp filter");
  }
  const swapLimit = swapLimitSupported();
  const lastOwner = sandboxOwnerUid(cfg.SANDBOX_UID_BASE, cfg.SANDBOX_UID_COUNT, slotRange(cfg.SANDBOX_CAPACITY) - 1);
  if (lastOwner > MAX_UID)
    throw new Error(
      `SANDBOX_UID_BASE + SANDBOX_UID_COUNT + 2 × SANDBOX_CAPACITY (${lastOwner}) is above the highest uid ${MAX_UID}: lower SANDBOX_UID_BASE.`,
    );
  (await OwnedUserNamespace.create(ownerUidOptions(cfg, 0))).release();
  await ensureHostLimits(cfg, log);
  const blockIO = await findBlockDevice(cfg, snapshotDir ?? cfg.runnerDir, log);
  return { seccomp, swapLimit, blockIO };
}

/**
 * The Snapshots' device gets the block-I/O throttle: the writable layer is a tmpfs (memory), so the
 * disk a sandbox reaches is the one its image layers are read from (O_DIRECT reads included).
 */
async function findBlockDevice(cfg: RunnerConfig, dir: string, log: Logger): Promise<HostSetup["blockIO"]> {
  const dev = await blockDeviceOf(dir);
  if ("reason" in dev) {
    log.warn({ dir, reason: dev.reason }, "no block-I/O limit for sandboxes: the Snapshots are not on a block device");
    return undefined;
  }
  log.info({ dir, device: `${dev.major}:${dev.minor}`, mbps: cfg.SANDBOX_IO_MBPS, iops: cfg.SANDBOX_IO_IOPS }, "sandbox block-I/O limit");
  return { ...dev, bytesPerSecond: cfg.SANDBOX_IO_MBPS * 1024 * 1024, iops: cfg.SANDBOX_IO_IOPS };
}

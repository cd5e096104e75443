/**
 * Shared integration-test helpers: the course Image (built once, cached under .data/test/runner),
 * a runner config with small limits, and a quiet logger.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import pino from "pino";
import { loadRunnerConfig, type RunnerConfig } from "../src/config/config";
import { ensureImage } from "../src/image/index";
import type { SandboxImage } from "../src/sandbox/manager";
import { DEFAULT_ENV } from "../src/container/spec";

/** The repo root: the nearest dir up from the working dir that holds sandbox-runner/ (tests run from the root). */
function findRepoRoot(from = process.cwd()): string {
  for (let d = path.resolve(from); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, "sandbox-runner/src"))) return d;
    if (d === path.dirname(d)) throw new Error(`Run the tests from the repository (no sandbox-runner/ above ${from}).`);
  }
}
const repoRoot = findRepoRoot();
export const TEST_DATA_DIR = path.join(repoRoot, ".data/test");

/** Small limits so the limit tests finish in seconds. */
export function testConfig(env: Record<string, string> = {}): RunnerConfig {
  return loadRunnerConfig({
    ...process.env,
    DATA_DIR: TEST_DATA_DIR,
    SANDBOX_MEMORY_MB: "64",
    SANDBOX_PIDS: "64",
    SANDBOX_DISK_MB: "16",
    SANDBOX_CPUS: "0.5",
    LOG_LEVEL: "silent",
    // Off unless a test turns it on: a sandbox of one test file must not get another's saved files.
    SAVED_WORK_MAX_MB_PER_LEARNER: "0",
    // No warm pool unless a test asks for one (the default, auto, would start sandboxes of its own after a create).
    SANDBOX_POOL_SIZE: "0",
    ...env,
  });
}

export const testLogger = () => pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });

let cached: Promise<SandboxImage> | undefined;

/**
 * The course Image from ensureImage, built once and cached under the test runner dir. Setting
 * H2_DEV_ROOTFS uses a plain root filesystem instead (to test containers while the image builder changes).
 */
export function testImage(cfg: RunnerConfig = testConfig()): Promise<SandboxImage> {
  cached ??= (async () => {
    if (!process.env.H2_DEV_ROOTFS)
      return ensureImage({ runnerDir: cfg.runnerDir, uidBase: cfg.SANDBOX_UID_BASE, uidCount: cfg.SANDBOX_UID_COUNT });
    const dev = process.env.H2_DEV_ROOTFS;
    if (!existsSync(dev))
      throw new Error(`H2_DEV_ROOTFS=${dev} does not exist: build one with mmdebstrap (see sandbox-runner/test/README.md) or unset it.`);
    return { layoutDir: path.join(cfg.runnerDir, "no-oci-layout"), layers: [{ snapshotDir: dev }], env: DEFAULT_ENV };
  })();
  return cached;
}

import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { RunnerConfig } from "../config/config";
import { receivePtyMaster } from "../container/console-socket";
import { mountSnapshot, snapshotPaths } from "../container/mounts";
import type { Runc } from "../container/runc";
import { applyCpuBurst } from "../container/cgroups";
import { buildOciConfig, CPU_PERIOD_US, cpuBandwidth, initWithTerminal } from "../container/spec";
import { validateOciConfig } from "../container/validate";
import { OwnedUserNamespace } from "../container/userns";
import { closeMaster, ContainerPty } from "../terminal/container-pty";
import { loginShellCommand } from "../terminal/exit-mark";
import type { HostSetup } from "./host";
import { PreparedShell } from "./prepared-shell";
import { nextConsolePath, type SandboxRecord } from "./record";
import { ownerUidOptions } from "./slots";

/** What the manager needs of an Image (structurally the `Image` of ../image). */
export interface SandboxImage {
  layoutDir: string;
  layers: { snapshotDir: string }[];
  /** The containers' environment, as the Image defines it. */
  env: string[];
}

/** A login shell to start with the container, greeting in `lang` (CURSO_LANG). */
export interface ShellStart {
  lang?: string;
}

/** Size of a shell started before anyone connected; the first client's HELLO resizes it. */
const PREPARED_SIZE = { cols: 80, rows: 24 };

/**
 * The terminal shell's environment on top of the Image's. CURSO_SAVED_WORK tells the welcome text
 * whether the files outlive the sandbox (saved work on) or not.
 */
export function shellVars(savedWork: boolean, lang?: string): string[] {
  return ["TERM=xterm-256color", "HOME=/root", `CURSO_SAVED_WORK=${savedWork ? 1 : 0}`, ...(lang ? [`CURSO_LANG=${lang}`] : [])];
}

/**
 * Brings up one sandbox's Bundle: the overlay of the Image's Snapshots under a capped writable top,
 * the OCI config (validated), the container started by runc in its own user namespace, its limits
 * applied before anyone can type in it. `shell`: the first Terminal's login shell, started with the
 * container (its PTY master lands in `rec.prepared`), or null for none.
 */
export async function bringUpBundle(
  rec: SandboxRecord & { slot: number },
  shell: ShellStart | null,
  deps: { cfg: RunnerConfig; image: SandboxImage; runc: Runc; host: HostSetup; fillUpper?: (upperDir: string) => Promise<void> },
): Promise<void> {
  const { cfg, image, runc, host } = deps;
  const oci = existsSync(image.layoutDir);
  const rootfs = await mountSnapshot({
    dir: rec.dir,
    lowerDirs: image.layers.map((l) => l.snapshotDir),
    diskMb: cfg.SANDBOX_DISK_MB,
    uidBase: cfg.SANDBOX_UID_BASE,
    ociLayoutDir: oci ? image.layoutDir : undefined,
    fillUpper: deps.fillUpper,
  });
  const userns = await OwnedUserNamespace.create(ownerUidOptions(cfg, rec.slot));
  try {
    const mem = cfg.SANDBOX_MEMORY_MB * 1024 * 1024;
    const config = buildOciConfig({
      id: rec.id,
      hostname: rec.hostname,
      rootfs,
      uidBase: cfg.SANDBOX_UID_BASE,
      uidCount: cfg.SANDBOX_UID_COUNT,
      memoryBytes: mem,
      memorySwapBytes: host.swapLimit ? mem : undefined,
      pids: cfg.SANDBOX_PIDS,
      cpus: cfg.SANDBOX_CPUS,
      cgroupsPath: rec.cgroupsPath,
      userNamespacePath: userns.path,
      blockIO: host.blockIO,
      ociLayoutDir: oci ? snapshotPaths(rec.dir).oci : undefined,
      env: image.env,
      seccomp: host.seccomp,
      engineStorageMb: cfg.SANDBOX_ENGINE_MB,
      ...(shell
        ? { terminal: true, args: initWithTerminal(loginShellCommand(), shellVars(cfg.SAVED_WORK_MAX_MB_PER_LEARNER > 0, shell.lang)) }
        : {}),
    });
    validateOciConfig(config, { seccompRequired: !cfg.DEV_NO_SECCOMP });
    const bundle = path.join(rec.dir, "bundle");
    await mkdir(bundle, { recursive: true });
    await writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
    if (shell) {
      const socket = nextConsolePath(rec);
      let initPid = 0;
      const master = await receivePtyMaster(socket, async () => {
        initPid = await runc.run(rec.id, bundle, { consoleSocket: socket });
      });
      rec.initPid = initPid;
      if (rec.state !== "creating") {
        closeMaster(master);
        return; // destroyed meanwhile
      }
      rec.prepared = new PreparedShell(new ContainerPty(master, PREPARED_SIZE));
    } else {
      rec.initPid = await runc.run(rec.id, bundle);
    }
    // Before anyone can type in it: create() has not returned yet, the pool has not handed it out.
    await userns.applyLimits();
    await applyCpuBurst(rec.cgroupsPath, cpuBandwidth(cfg.SANDBOX_CPUS, cfg.SANDBOX_CPU_BURST, CPU_PERIOD_US).burstUs);
  } finally {
    userns.release();
  }
}

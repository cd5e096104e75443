/**
 * Builds the OCI runtime `config.json` of one sandbox from a typed description (runc's specconv
 * habit: plain data in, plain data out, no I/O). What a learner can and cannot do inside is decided
 * here, so each choice carries its reason.
 */
import type { OciSeccomp } from "./seccomp";

/**
 * Capabilities of root inside the sandbox. Every one of them is scoped to the sandbox's own user
 * namespace: the kernel checks them against namespaces that namespace owns (its mounts, its pid
 * namespace, its hostname...), never against the host's. That is why SYS_ADMIN is tolerable: it lets
 * the learner mount proc/tmpfs/overlay and `unshare` nested namespaces (what the lessons teach), but
 * it is not the host's SYS_ADMIN; the syscalls where the kernel does not honour that scoping well
 * (bpf, perf_event_open, keyctl, ...) are refused by seccomp instead.
 */
export const SANDBOX_CAPABILITIES = [
  "CAP_CHOWN",
  "CAP_DAC_OVERRIDE",
  "CAP_FOWNER",
  "CAP_FSETID",
  "CAP_KILL",
  "CAP_SETGID",
  "CAP_SETUID",
  "CAP_SETPCAP",
  "CAP_NET_BIND_SERVICE",
  "CAP_SYS_CHROOT",
  "CAP_AUDIT_WRITE",
  "CAP_SETFCAP",
  "CAP_MKNOD",
  "CAP_SYS_ADMIN",
] as const;

export const DEFAULT_ENV = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME=/root", "LANG=C.UTF-8"];
/**
 * What PID 1 does for the sandbox's whole life. Not `tini -- sleep infinity`: tini exits when its
 * child does, and a learner practising `pkill sleep` or `kill -9 -1` would end their own sandbox. A
 * shell as PID 1 is immune to signals it has no handler for (the kernel protects a pid namespace's
 * init), restarts its sleep, and `wait` reaps every child, orphans reparented to it included.
 */
export const INIT_LOOP = "trap '' HUP INT QUIT TERM USR1 USR2; while :; do sleep 86400 & wait; done";

/**
 * Lessons 3 and 6 send the learner to look at PID 1 (`ps -ef --forest`, /proc/1/cmdline): it should
 * read as what it is, `init`, not as the runner's plumbing. So a first bash does the setup, then
 * `exec -a init` turns itself into a plain `sh` named "init" that reads INIT_LOOP from a here-document
 * on its stdin (a script in argv would show in the command line).
 */
// One line, so sh has parsed the loop before `exec </dev/null` closes the here-document: PID 1 then
// holds nothing but /dev/null (escape probe "PID 1 keeps no terminal, pipe or socket").
const BECOME_INIT = `exec -a init /bin/sh <<'INIT'\nexec </dev/null; ${INIT_LOOP}\nINIT`;

/** The sandbox's PID 1 when no terminal starts with it. */
export const DEFAULT_INIT = ["/bin/bash", "-c", `exec </dev/null >/dev/null 2>&1; ${BECOME_INIT}`, "init"];

/**
 * The same PID 1, started on the container's terminal (`process.terminal: true`): it first starts
 * `command` there (the first Terminal's shell, so a learner's first prompt costs no `runc exec`),
 * then lets go of the terminal and becomes the init. `env --default-signal` undoes what a shell does
 * to a background job (SIGINT and SIGQUIT ignored), or Ctrl-C would not reach the learner's programs.
 * `vars` (NAME=value) are set for the shell only.
 */
export function initWithTerminal(command: string[], vars: string[] = []): string[] {
  for (const v of vars) if (!/^[A-Z_][A-Z0-9_]*=[^\0]*$/.test(v)) throw new Error(`not a NAME=value variable: ${JSON.stringify(v)}`);
  const script = `exec 3<&0 4>&1; env --default-signal "$@" <&3 >&4 2>&4 3<&- 4>&- & exec </dev/null >/dev/null 2>&1 3<&- 4>&-; ${BECOME_INIT}`;
  return ["/bin/bash", "-c", script, "init", ...vars, ...command];
}

export interface SandboxSpec {
  id: string;
  hostname: string;
  /** The merged overlay dir: the Bundle's rootfs. */
  rootfs: string;
  /** Host uid/gid that root inside maps to, and how many ids are mapped. */
  uidBase: number;
  uidCount: number;
  memoryBytes: number;
  /** memory+swap limit; set equal to memoryBytes (no swap). Left out on hosts without swap accounting. */
  memorySwapBytes?: number;
  pids: number;
  cpus: number;
  cgroupsPath: string;
  /** OCI image layout bind-mounted read-only at /oci (for the image lessons). */
  ociLayoutDir?: string;
  env?: string[];
  args?: string[];
  /** Give the init process a terminal (runc then needs --console-socket). */
  terminal?: boolean;
  /**
   * Join this user namespace (made by the runner, owned by a host uid of the sandbox's own: see
   * userns.ts) instead of letting runc create one owned by host root. Its maps must equal uidBase/uidCount.
   */
  userNamespacePath?: string;
  /** Block-I/O throttle on the device that holds the Snapshots (cgroup blkio / io.max); none when unset. */
  blockIO?: { major: number; minor: number; bytesPerSecond: number; iops: number };
  /** null: no filter (debugging only). */
  seccomp: OciSeccomp | null;
  /** Size cap (MiB) of the container engine's storage, a tmpfs at /var/lib/containers; none when unset. */
  engineStorageMb?: number;
}

export interface OciMount {
  destination: string;
  type?: string;
  source: string;
  options?: string[];
}
export interface OciConfig {
  ociVersion: string;
  process: {
    terminal: boolean;
    user: { uid: number; gid: number };
    args: string[];
    env: string[];
    cwd: string;
    capabilities: Record<"bounding" | "effective" | "permitted" | "inheritable" | "ambient", string[]>;
    rlimits: { type: string; hard: number; soft: number }[];
    noNewPrivileges: boolean;
  };
  root: { path: string; readonly: boolean };
  hostname: string;
  mounts: OciMount[];
  linux: {
    uidMappings: { containerID: number; hostID: number; size: number }[];
    gidMappings: { containerID: number; hostID: number; size: number }[];
    namespaces: { type: string; path?: string }[];
    resources: {
      devices: { allow: boolean; access: string; type?: string; major?: number; minor?: number }[];
      memory: { limit: number; swap?: number };
      pids: { limit: number };
      cpu: { quota: number; period: number };
      blockIO?: Record<
        "throttleReadBpsDevice" | "throttleWriteBpsDevice" | "throttleReadIOPSDevice" | "throttleWriteIOPSDevice",
        { major: number; minor: number; rate: number }[]
      >;
    };
    cgroupsPath: string;
    seccomp?: OciSeccomp;
    maskedPaths: string[];
    readonlyPaths: string[];
  };
}

export const CPU_PERIOD_US = 100_000;

/**
 * The CFS quota of `cpus` cores per period, and the burst a sandbox may bank while idle: `share` of
 * one period's quota (the kernel takes at most the quota itself). Pure.
 */
export function cpuBandwidth(cpus: number, share: number, periodUs: number): { quotaUs: number; burstUs: number } {
  const quotaUs = Math.max(1000, Math.round(cpus * periodUs));
  return { quotaUs, burstUs: Math.round(Math.min(1, Math.max(0, share)) * quotaUs) };
}

/** Where the engine inside the sandbox (podman) keeps its images and containers. */
export const ENGINE_STORAGE_PATH = "/var/lib/containers";
/** Same density as the writable layer's tmpfs (mounts.ts INODES_PER_MB): one inode per 4 KiB. */
export const ENGINE_INODES_PER_MB = 256;

/** Host hardware details a learner needs for nothing; hidden under an empty read-only tmpfs. */
export const SYS_MASKED_PATHS = ["/sys/firmware", "/sys/devices/virtual/powercap", "/sys/kernel/vmcoreinfo"] as const;

export function buildOciConfig(s: SandboxSpec): OciConfig {
  const caps = [...SANDBOX_CAPABILITIES];
  const mounts: OciMount[] = [
    { destination: "/proc", type: "proc", source: "proc" },
    { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    {
      destination: "/dev/pts",
      type: "devpts",
      source: "devpts",
      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"],
    },
    { destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
    { destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"] },
    // sysfs may be mounted because the sandbox owns its network namespace; read-only all the same.
    { destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"] },
    { destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "noexec", "nodev", "relatime", "ro"] },
  ];
  if (s.engineStorageMb) {
    // The nested engine's graph driver refuses an overlayfs backing store (the sandbox's root is
    // one): a tmpfs of its own, in the sandbox's mount namespace, its pages charged to the
    // sandbox's memory cgroup. nr_inodes for the same reason as the writable layer's (mounts.ts).
    const mb = s.engineStorageMb;
    mounts.push({
      destination: ENGINE_STORAGE_PATH,
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "nodev", "mode=0700", `size=${mb}m`, `nr_inodes=${mb * ENGINE_INODES_PER_MB}`],
    });
  }
  if (s.ociLayoutDir) {
    mounts.push({ destination: "/oci", type: "bind", source: s.ociLayoutDir, options: ["rbind", "ro", "nosuid", "nodev", "noexec"] });
  }
  const memory: OciConfig["linux"]["resources"]["memory"] = { limit: s.memoryBytes };
  if (s.memorySwapBytes !== undefined) memory.swap = s.memorySwapBytes;
  const config: OciConfig = {
    ociVersion: "1.0.2",
    process: {
      terminal: s.terminal ?? false,
      user: { uid: 0, gid: 0 },
      args: s.args ?? DEFAULT_INIT,
      env: s.env ?? DEFAULT_ENV,
      cwd: "/root",
      capabilities: { bounding: caps, effective: caps, permitted: caps, inheritable: [], ambient: [] },
      // None here: runc sets these from outside with prlimit(), which on a process of a user namespace
      // not owned by host root needs CAP_SYS_RESOURCE in the host's namespace, which a runner in a
      // container may lack. runc is started under SANDBOX_RLIMITS instead and the sandbox inherits
      // them (userns.ts, Runc.limits).
      rlimits: [],
      noNewPrivileges: true,
    },
    root: { path: s.rootfs, readonly: false },
    hostname: s.hostname,
    mounts,
    linux: {
      uidMappings: [{ containerID: 0, hostID: s.uidBase, size: s.uidCount }],
      gidMappings: [{ containerID: 0, hostID: s.uidBase, size: s.uidCount }],
      // Every namespace is new (no `path`): nothing is shared with the host or another sandbox.
      // A new network namespace holds only loopback, which runc brings up.
      // The user namespace may be one the runner made (owned by a host uid of this sandbox's own).
      namespaces: ["pid", "network", "ipc", "uts", "mount", "cgroup", "user"].map((type) =>
        type === "user" && s.userNamespacePath ? { type, path: s.userNamespacePath } : { type },
      ),
      resources: {
        // Deny every device node, then allow the harmless ones runc creates (null, zero, tty, ...).
        devices: [{ allow: false, access: "rwm" }],
        memory,
        pids: { limit: s.pids },
        cpu: { quota: cpuBandwidth(s.cpus, 0, CPU_PERIOD_US).quotaUs, period: CPU_PERIOD_US },
      },
      cgroupsPath: s.cgroupsPath,
      // No /proc path on purpose: with runc's default masked paths the kernel refuses to mount a fresh
      // /proc in a nested pid namespace (`unshare --pid --mount-proc`, a lesson). Host-only files such
      // as /proc/kcore stay unreadable because the sandbox's root is not the host's root (user
      // namespace). Under /sys nothing is lost: the host's memory map and ACPI tables in
      // /sys/firmware are world-readable and of no use to a lesson (security.md, escape probe).
      maskedPaths: [...SYS_MASKED_PATHS],
      readonlyPaths: [],
    },
  };
  if (s.seccomp) config.linux.seccomp = s.seccomp;
  if (s.blockIO) {
    const { major, minor, bytesPerSecond, iops } = s.blockIO;
    const bps = [{ major, minor, rate: bytesPerSecond }];
    const ops = [{ major, minor, rate: iops }];
    config.linux.resources.blockIO = {
      throttleReadBpsDevice: bps,
      throttleWriteBpsDevice: bps,
      throttleReadIOPSDevice: ops,
      throttleWriteIOPSDevice: ops,
    };
  }
  return config;
}

/** `sandbox-` + the first 8 characters of the id: short enough for a prompt, unique enough to tell apart. */
export function sandboxHostname(id: string): string {
  return `sandbox-${id.slice(0, 8)}`;
}

/**
 * Translates a container-engine seccomp profile (containers/common's `seccomp.json`, the format
 * Docker and Podman use: rules conditional on capabilities, architectures and kernel version) into
 * the OCI runtime spec's `linux.seccomp` for one set of granted capabilities on one architecture,
 * then adds our own refusals. Pure: the profile comes in as data.
 */

export interface EngineSeccompArg {
  index: number;
  value: number;
  valueTwo?: number;
  op: string;
}
export interface EngineSeccompRule {
  names?: string[];
  name?: string;
  action: string;
  args?: EngineSeccompArg[] | null;
  errnoRet?: number;
  includes?: { caps?: string[]; arches?: string[]; minKernel?: string };
  excludes?: { caps?: string[]; arches?: string[] };
}
export interface EngineSeccompProfile {
  defaultAction: string;
  defaultErrnoRet?: number;
  archMap?: { architecture: string; subArchitectures?: string[] }[];
  syscalls: EngineSeccompRule[];
}

export interface OciSeccompRule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: { index: number; value: number; valueTwo: number; op: string }[];
}
export interface OciSeccomp {
  defaultAction: string;
  defaultErrnoRet?: number;
  architectures: string[];
  syscalls: OciSeccompRule[];
}

/**
 * Refused whatever the profile says. The profile allows several of these once CAP_SYS_ADMIN is
 * granted (bpf, perf_event_open, ...), and we grant SYS_ADMIN inside the user namespace so the
 * learner can mount and unshare: these syscalls reach kernel code that does not honour user
 * namespaces well (or at all), so they stay closed.
 */
export const EXTRA_REFUSALS: readonly string[] = [
  "bpf",
  "perf_event_open",
  "fanotify_init",
  "lookup_dcookie",
  "keyctl",
  "add_key",
  "request_key",
  "userfaultfd",
  "open_by_handle_at",
  "name_to_handle_at",
  "io_uring_setup",
  "io_uring_enter",
  "io_uring_register",
  "kexec_load",
  "kexec_file_load",
  "init_module",
  "finit_module",
  "delete_module",
  "query_module",
  "iopl",
  "ioperm",
  "clock_settime",
  "clock_settime64",
  "settimeofday",
  "stime",
  "adjtimex",
  "clock_adjtime",
  "clock_adjtime64",
  "syslog",
  "acct",
  "swapon",
  "swapoff",
  "reboot",
  "quotactl",
  "quotactl_fd",
  "nfsservctl",
  "vhangup",
  // Reaching into another process: its descriptors (pidfd_getfd), its memory or its execution. The
  // lessons trace nothing (no strace or gdb in the Image), and a sandbox process used these to take
  // what the runner's helpers inside held; kernel surface nobody here needs (docs/security.md).
  "pidfd_getfd",
  "ptrace",
  "process_vm_readv",
  "process_vm_writev",
];

/** Docker-style arch names used in `includes.arches`, per seccomp architecture. */
const ENGINE_ARCH_NAMES: Record<string, string[]> = {
  SCMP_ARCH_X86_64: ["amd64", "x86_64"],
  SCMP_ARCH_AARCH64: ["arm64", "aarch64"],
};

export interface TranslateOptions {
  /** Capabilities granted to the container's processes, with or without the CAP_ prefix. */
  capabilities: readonly string[];
  /** Seccomp architecture of the host, e.g. SCMP_ARCH_X86_64. */
  architecture?: string;
  /** Host kernel release (uname -r); rules with a higher `minKernel` are left out. */
  kernelRelease?: string;
  /** Syscalls to refuse with EPERM on top of the profile. */
  refuse?: readonly string[];
}

function kernelAtLeast(release: string, min: string): boolean {
  const parse = (s: string) =>
    s
      .split(/[.-]/)
      .slice(0, 2)
      .map((x) => Number.parseInt(x, 10) || 0);
  const [a1 = 0, a2 = 0] = parse(release);
  const [b1 = 0, b2 = 0] = parse(min);
  return a1 > b1 || (a1 === b1 && a2 >= b2);
}

function applies(rule: EngineSeccompRule, caps: Set<string>, archNames: string[], kernel: string | undefined): boolean {
  const inc = rule.includes ?? {};
  const exc = rule.excludes ?? {};
  if (inc.caps?.length && !inc.caps.every((c) => caps.has(c))) return false;
  if (inc.arches?.length && !inc.arches.some((a) => archNames.includes(a))) return false;
  if (inc.minKernel && kernel && !kernelAtLeast(kernel, inc.minKernel)) return false;
  if (exc.caps?.length && exc.caps.some((c) => caps.has(c))) return false;
  if (exc.arches?.length && exc.arches.some((a) => archNames.includes(a))) return false;
  return true;
}

export function translateSeccompProfile(profile: EngineSeccompProfile, opts: TranslateOptions): OciSeccomp {
  const architecture = opts.architecture ?? "SCMP_ARCH_X86_64";
  const caps = new Set(opts.capabilities.map((c) => (c.startsWith("CAP_") ? c : `CAP_${c}`)));
  const archNames = ENGINE_ARCH_NAMES[architecture] ?? [];
  const refuse = new Set(opts.refuse ?? EXTRA_REFUSALS);

  const arch = profile.archMap?.find((a) => a.architecture === architecture);
  const architectures = arch ? [arch.architecture, ...(arch.subArchitectures ?? [])] : [architecture];

  const syscalls: OciSeccompRule[] = [];
  for (const rule of profile.syscalls) {
    if (!applies(rule, caps, archNames, opts.kernelRelease)) continue;
    // Our refusals must be the only rule naming those syscalls: libseccomp does not let two rules
    // with different actions share a syscall, so drop them from every profile rule.
    const names = (rule.names ?? (rule.name ? [rule.name] : [])).filter((n) => !refuse.has(n));
    if (names.length === 0) continue;
    const out: OciSeccompRule = { names, action: rule.action };
    if (rule.errnoRet !== undefined) out.errnoRet = rule.errnoRet;
    if (rule.args?.length) out.args = rule.args.map((a) => ({ index: a.index, value: a.value, valueTwo: a.valueTwo ?? 0, op: a.op }));
    syscalls.push(out);
  }
  if (refuse.size > 0) syscalls.push({ names: [...refuse].sort(), action: "SCMP_ACT_ERRNO", errnoRet: 1 });

  const result: OciSeccomp = { defaultAction: profile.defaultAction, architectures, syscalls };
  if (profile.defaultErrnoRet !== undefined) result.defaultErrnoRet = profile.defaultErrnoRet;
  return result;
}

/** Every syscall name the filter lets through unconditionally or conditionally (for tests and checks). */
export function allowedSyscalls(s: OciSeccomp): Set<string> {
  return new Set(s.syscalls.filter((r) => r.action === "SCMP_ACT_ALLOW").flatMap((r) => r.names));
}

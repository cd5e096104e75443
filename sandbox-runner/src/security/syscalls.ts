/**
 * Raw syscalls a hostile learner would try, as perl one-liners: the sandbox has no compiler, but
 * Debian's minbase ships perl-base, whose `syscall()` calls any syscall by number. Pure: builds the
 * script and parses its answer; the escape tests run it in real sandboxes.
 */

/** x86_64 syscall numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
export const SYSCALL_NR = {
  ptrace: 101,
  syslog: 103,
  adjtimex: 159,
  acct: 163,
  settimeofday: 164,
  swapon: 167,
  swapoff: 168,
  reboot: 169,
  iopl: 172,
  ioperm: 173,
  init_module: 175,
  delete_module: 176,
  quotactl: 179,
  lookup_dcookie: 212,
  clock_settime: 227,
  kexec_load: 246,
  add_key: 248,
  request_key: 249,
  keyctl: 250,
  perf_event_open: 298,
  fanotify_init: 300,
  name_to_handle_at: 303,
  open_by_handle_at: 304,
  clock_adjtime: 305,
  process_vm_readv: 310,
  process_vm_writev: 311,
  finit_module: 313,
  kexec_file_load: 320,
  bpf: 321,
  userfaultfd: 323,
  io_uring_setup: 425,
  pidfd_getfd: 438,
} as const;
export type SyscallName = keyof typeof SYSCALL_NR;

/**
 * Arguments for each call, in perl: valid enough that a kernel without our filter would get past
 * argument checks (zeroed attr structs, real buffers, a harmless reboot command), so EPERM means
 * "refused", not "bad arguments". `$T` is the current time as a timespec/timeval.
 */
const ARGS: Record<SyscallName, string> = {
  ptrace: "16, $PID, 0, 0", // PTRACE_ATTACH
  syslog: "3, $buf, 4096", // SYSLOG_ACTION_READ_ALL: the kernel log
  adjtimex: "$buf",
  acct: "$ACCT",
  settimeofday: "$T, 0",
  swapon: "$SWAP, 0",
  swapoff: "$SWAP",
  reboot: "0xfee1dead, 672274793, 0, 0", // LINUX_REBOOT_CMD_CAD_OFF: harmless if it ever passed
  iopl: "3",
  ioperm: "0x80, 1, 1",
  init_module: "$buf, 64, $E",
  delete_module: "$EXT4, 0",
  quotactl: "0x800007, $ROOT, 0, $buf", // Q_GETQUOTA
  lookup_dcookie: "1, $buf, 64",
  clock_settime: "0, $T", // CLOCK_REALTIME
  kexec_load: "0, 0, 0, 0",
  add_key: "$USER, $PROBE, $SECRET, 6, -2", // KEY_SPEC_PROCESS_KEYRING
  request_key: "$USER, $PROBE, 0, -2",
  keyctl: "1, $SES", // KEYCTL_JOIN_SESSION_KEYRING: another sandbox's keyring by name
  perf_event_open: "$buf, 0, -1, -1, 0",
  fanotify_init: "0, 0",
  name_to_handle_at: "-100, $ROOT, $buf2, $buf, 0",
  open_by_handle_at: "3, $buf, 0", // the "shocker" escape
  clock_adjtime: "0, $buf",
  process_vm_readv: "$PID, $liov, 1, $riov, 1, 0", // 8 real bytes each side: a zero length returns before the pid lookup
  process_vm_writev: "$PID, $liov, 1, $riov, 1, 0", // to 0x400000: unmapped or read-only text (EFAULT if it ever passed)
  finit_module: "0, $E, 0",
  kexec_file_load: "0, 0, 0, $E, 0",
  bpf: "0, $buf, 128", // BPF_MAP_CREATE with a zeroed attr
  userfaultfd: "0",
  io_uring_setup: "8, $buf",
  pidfd_getfd: "$PIDFD, 0, 0", // the target's stdin, through a pidfd for $PID
};

/**
 * A perl script calling each syscall once and printing `name errno` per line (0 when it succeeded).
 * `pid` is the target of ptrace/process_vm_readv (a host pid, in the probes).
 */
export function syscallScript(names: readonly SyscallName[], pid = 1): string {
  const calls = names
    .map((n) => `$!=0; $r=syscall(${SYSCALL_NR[n]}, ${ARGS[n]}); printf "%s %d\\n", "${n}", ($r == -1 ? $!+0 : 0);`)
    .join(" ");
  // perl's syscall() passes strings as pointers and may write through them, so every string is a
  // variable (a literal dies with "Modification of a read-only value"). $buf2 is a file handle
  // header (handle_bytes=128); $liov/$riov are one-element iovecs of 8 bytes.
  const prelude = [
    `$PID=${pid}; $buf="\\0" x 4096; $buf2=pack("L", 128) . ("\\0" x 260); $T=pack("qq", time, 0);`,
    `$dst="\\0" x 64; $liov=pack("QQ", unpack("Q", pack("p", $dst)), 8); $riov=pack("QQ", 0x400000, 8);`,
    `$PIDFD=syscall(434, $PID, 0);`, // pidfd_open, allowed: a pidfd is what pidfd_getfd needs
    `$E=""; $ROOT="/"; $EXT4="ext4"; $ACCT="/tmp/acct"; $SWAP="/tmp/swap"; $USER="user"; $PROBE="probe"; $SECRET="secret"; $SES="_ses.probe";`,
  ].join(" ");
  return `perl -e '${prelude} ${calls}'`;
}

/** Parses `name errno` lines into a map; names missing from the output are absent from the map. */
export function parseSyscallResults(output: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of output.split("\n")) {
    const m = /^([a-z_0-9]+) (\d+)$/.exec(line.trim());
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}

export const EPERM = 1;
export const ESRCH = 3;

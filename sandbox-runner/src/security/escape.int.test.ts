/**
 * Escape suite: a hostile learner is root inside a real runc sandbox and tries to reach the host,
 * the runner or another sandbox. Each probe names the attack and the defence that stops it, runs its
 * script through SandboxManager.exec and through the Check batch (as a Check would) and states what must come out. A probe that
 * passes proves the defence is in place on this kernel; docs/security.md lists them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type CheckPathStats, type ExecResult, type SandboxInfo, type SandboxImage } from "../sandbox/manager";
import { runCheckBatch } from "../sandbox/check-batch";
import { createRunnerServer, type RunnerServer } from "../server/server";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { rawRequest, readSandboxCgroup, sleep, watchEventLoop } from "./harness";
import { EPERM, ESRCH, parseSyscallResults, syscallScript, type SyscallName } from "./syscalls";

// Own data dir: other suites' init() removes every sandbox of theirs, and ours of theirs.
const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-security" });
/** The app's key pair: tokens are signed with the private half, the runner holds the public one. */
const KEYS = generateSigningKeys();

interface Ctx {
  sb: SandboxInfo;
  other: SandboxInfo;
  /** A host process (sleep) the learner would like to trace or kill. */
  hostPid: number;
  /** A TCP service on the host's loopback. */
  hostPort: number;
  /** The runner's own HTTP API, on the host's loopback. */
  runnerPort: number;
  /** Abstract unix socket listening on the host. */
  abstractName: string;
  /** File name of a secret written in the host's /tmp. */
  marker: string;
  hostAddrs: string[];
  snapshotDir: string;
}

interface Probe {
  name: string;
  /** What the hostile learner tries. */
  attack: string;
  /** What stops it. */
  defence: string;
  script: (c: Ctx) => string;
  check: (r: ExecResult, c: Ctx) => void | Promise<void>;
}

/**
 * Processes a probe may see: the sandbox's own few (init, the waiting shell, the probe and, through
 * the Check batch, its driver and `timeout`), where the host shows a hundred and more.
 */
const SANDBOX_PROCS_MAX = 20;

const HOST_SECRET = `host-secret-${randomBytes(4).toString("hex")}`;
const OTHER_SECRET = `other-sandbox-secret-${randomBytes(4).toString("hex")}`;

/** Every named syscall answered with one of the allowed errnos (EPERM by default). */
function refused(r: ExecResult, names: readonly SyscallName[], errnos: number[] = [EPERM]) {
  const got = parseSyscallResults(r.output);
  for (const n of names) {
    expect(got.has(n), `${n} did not report (output: ${r.output})`).toBe(true);
    expect(errnos, `${n} returned errno ${got.get(n)}`).toContain(got.get(n));
  }
}
const sys = (names: SyscallName[]) => ({
  script: (c: Ctx) => syscallScript(names, c.hostPid),
  check: (r: ExecResult) => refused(r, names),
});

const probes: Probe[] = [
  // ── the host's filesystem ──────────────────────────────────────────────────────────────────────
  {
    name: "PID 1 keeps no terminal, pipe or socket from the runner",
    attack: "use an fd the init inherited (via /proc/1/fd) to reach whatever the runner handed it",
    defence:
      "the init starts the first shell on its terminal, then reopens its stdio on /dev/null; runc's console socket is closed before the init runs",
    script: () => "for f in /proc/1/fd/*; do readlink $f; done | sort | uniq -c",
    check: (r) => {
      expect(r.exitCode).toBe(0);
      const targets = r.output
        .trim()
        .split("\n")
        .map((l) => l.trim().replace(/^\d+\s+/, ""));
      expect(targets).toEqual(["/dev/null"]);
    },
  },
  {
    name: "PID 1's root is the sandbox's own",
    attack: "read the host's / through /proc/1/root (PID 1 would be the host's init without a pid namespace)",
    defence: "pid namespace: PID 1 is the sandbox's init, its root the sandbox's rootfs",
    script: () =>
      "echo inside > /root/inside-mark; readlink /proc/1/root; cat /proc/1/root/root/inside-mark; tr '\\0' ' ' < /proc/1/cmdline; echo",
    check: (r) => {
      const [root, mark, cmd] = r.output.split("\n");
      expect(root).toBe("/");
      expect(mark).toBe("inside");
      expect(cmd?.trim()).toBe("init");
    },
  },
  {
    name: "a host file is invisible through every /proc/*/root and a search",
    attack: "find a file the host wrote in its /tmp via any process's root link, or by searching /",
    defence: "mount namespace on an overlay rootfs + pid namespace (no host process to borrow a root from)",
    script: (c) =>
      `for p in /proc/[0-9]*; do cat $p/root/tmp/${c.marker} 2>/dev/null; done; cat /tmp/${c.marker} 2>&1; find / \\( -path /proc -o -path /sys \\) -prune -o -name '${c.marker}' -print 2>/dev/null; echo done`,
    check: (r) => {
      expect(r.output).not.toContain(HOST_SECRET);
      expect(r.output).toMatch(/No such file or directory\ndone\n$/);
    },
  },
  {
    name: "host paths cannot be bind-mounted in",
    attack: "bind-mount the runner's data dir, the image snapshot or the repository (paths leak via /proc/mounts)",
    defence: "mount namespace: host paths do not exist inside; the overlay's lower dirs are not reachable",
    script: (c) =>
      `grep -c '${c.snapshotDir}' /proc/self/mounts; for p in ${cfg.runnerDir} ${c.snapshotDir} ${process.cwd()}; do ls $p >/dev/null 2>&1 && echo VISIBLE-$p; mount --bind $p /mnt 2>/dev/null && echo BOUND-$p; done; echo done`,
    check: (r) => {
      expect(r.output).not.toMatch(/VISIBLE|BOUND/);
      expect(r.output).toMatch(/done\n$/);
    },
  },
  {
    name: "no block devices; a made-up one cannot be created, read or mounted",
    attack: "mknod the host disk (8:0, 254:0) and mount it or read it raw",
    defence: "user namespace (mknod needs CAP_MKNOD in the host namespace) + device cgroup denying every device",
    script: () =>
      "echo blk=$(find /dev -type b | wc -l); for d in 'sda b 8 0' 'vda b 254 0'; do set -- $d; mknod /tmp/$1 $2 $3 $4 2>/dev/null && echo MADE-$1; head -c1 /tmp/$1 >/dev/null 2>&1 && echo READ-$1; mount /tmp/$1 /mnt 2>/dev/null && echo MOUNTED-$1; done; mount -t ext4 /dev/vda /mnt 2>/dev/null && echo MOUNTED-vda; echo done",
    check: (r) => {
      expect(r.output).toMatch(/^blk=0\n/);
      expect(r.output).not.toMatch(/MADE|READ|MOUNTED/);
    },
  },
  {
    name: "no host memory or kernel-log character devices",
    attack: "mknod /dev/mem (1:1), /dev/kmsg (1:11), /dev/port (1:4) and read them",
    defence: "user namespace + device cgroup; /dev is a fresh tmpfs with only null, zero, random, tty...",
    script: () =>
      "ls /dev/mem /dev/kmem /dev/port /dev/kmsg 2>/dev/null; for d in 'mem 1 1' 'kmsg 1 11' 'port 1 4'; do set -- $d; mknod /tmp/$1 c $2 $3 2>/dev/null && echo MADE-$1; head -c1 /tmp/$1 >/dev/null 2>&1 && echo READ-$1; done; echo done",
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "kernel filesystems cannot be mounted",
    attack: "mount debugfs, tracefs, securityfs, bpffs, configfs or a fresh sysfs to reach kernel internals",
    defence: "user namespace: these filesystems can only be mounted from the host's user namespace",
    script: () =>
      "for t in debugfs tracefs securityfs bpf configfs sysfs pstore; do mount -t $t none /mnt 2>/dev/null && echo MOUNTED-$t; done; echo done",
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "another sandbox's files and processes are invisible",
    attack: "read a file the learner next door wrote, through /proc or the filesystem",
    defence: "each sandbox has its own pid and mount namespaces and its own writable layer",
    script: () =>
      `cat /root/other-mark 2>/dev/null; for p in /proc/[0-9]*; do cat $p/root/root/other-mark 2>/dev/null; done; ps -eo args= | grep -c '[o]ther-sandbox-sleeper'; echo done`,
    check: (r) => {
      expect(r.output).not.toContain(OTHER_SECRET);
      expect(r.output).toBe("0\ndone\n");
    },
  },
  // ── host processes ─────────────────────────────────────────────────────────────────────────────
  {
    name: "host processes are invisible and cannot be signalled",
    attack: "list the host's processes and kill one by its host pid",
    defence: "pid namespace: host pids do not exist inside",
    script: (c) =>
      `ps -eo comm= | sort -u | tr '\\n' ' '; echo; kill -9 ${c.hostPid} 2>/dev/null; echo kill=$?; ls /proc | grep -c '^[0-9]'`,
    check: (r) => {
      const [names, kill, count] = r.output.trim().split("\n");
      expect(names).not.toMatch(/\b(node|vitest|runc|systemd|sleep 60)\b/);
      expect(kill).toBe("kill=1");
      expect(Number(count)).toBeLessThan(SANDBOX_PROCS_MAX);
    },
  },
  {
    name: "ptrace and process_vm_readv of a host process",
    attack: "attach to, or read the memory of, a host process by pid",
    defence: "pid namespace (ESRCH: no such pid inside) + no CAP_SYS_PTRACE",
    script: (c) => syscallScript(["ptrace", "process_vm_readv"], c.hostPid),
    check: (r) => refused(r, ["ptrace", "process_vm_readv"], [EPERM, ESRCH]),
  },
  {
    name: "the sandbox's own processes cannot be traced, read or robbed of descriptors",
    attack:
      "ptrace, process_vm_readv/writev or pidfd_getfd on another process of the sandbox (PID 1, or the wrapper of a Check) to take what it holds",
    defence: "seccomp refusal (the lessons trace nothing); no runner descriptor is in the sandbox anyway (sandbox/exec.int.test.ts)",
    script: () => syscallScript(["pidfd_getfd", "ptrace", "process_vm_readv", "process_vm_writev"], 1),
    check: (r) => refused(r, ["pidfd_getfd", "ptrace", "process_vm_readv", "process_vm_writev"]),
  },
  // ── kernel ─────────────────────────────────────────────────────────────────────────────────────
  {
    name: "kernel modules cannot be loaded or removed",
    attack: "insmod a module (init_module, finit_module) or rmmod one (delete_module)",
    defence: "seccomp refusal + no CAP_SYS_MODULE in the bounding set",
    script: (c) =>
      `printf 'not an elf' > /tmp/x.ko; busybox insmod /tmp/x.ko 2>&1 | head -1; ${syscallScript(["init_module", "finit_module", "delete_module"], c.hostPid)}`,
    check: (r) => {
      expect(r.output).toMatch(/Operation not permitted/);
      refused(r, ["init_module", "finit_module", "delete_module"]);
    },
  },
  {
    name: "kexec",
    attack: "load a new kernel (kexec_load, kexec_file_load)",
    defence: "seccomp refusal + no CAP_SYS_BOOT",
    ...sys(["kexec_load", "kexec_file_load"]),
  },
  {
    name: "reboot, swap, accounting, quotas",
    attack: "reboot, swapon/swapoff, acct, quotactl",
    defence: "seccomp refusal + user namespace",
    ...sys(["reboot", "swapon", "swapoff", "acct", "quotactl"]),
  },
  {
    name: "port I/O",
    attack: "iopl/ioperm to talk to hardware ports",
    defence: "seccomp refusal + no CAP_SYS_RAWIO",
    ...sys(["iopl", "ioperm"]),
  },
  {
    name: "keyrings",
    attack: "join another sandbox's session keyring (their names show in /proc/keys), add or request keys",
    defence: "seccomp refusal of keyctl, add_key, request_key",
    ...sys(["keyctl", "add_key", "request_key"]),
  },
  {
    name: "bpf",
    attack: "load eBPF programs or maps (a common kernel attack surface)",
    defence: "seccomp refusal (the containers-common profile alone allows bpf once CAP_SYS_ADMIN is granted)",
    ...sys(["bpf"]),
  },
  {
    name: "perf events",
    attack: "perf_event_open: kernel profiling, side channels, a history of kernel bugs",
    defence: "seccomp refusal",
    ...sys(["perf_event_open"]),
  },
  {
    name: "userfaultfd",
    attack: "userfaultfd to stall the kernel mid-copy (race-condition exploits)",
    defence: "seccomp refusal; no /dev/userfaultfd",
    script: (c) => `ls /dev/userfaultfd 2>/dev/null; ${syscallScript(["userfaultfd"], c.hostPid)}`,
    check: (r) => refused(r, ["userfaultfd"]),
  },
  {
    name: "io_uring",
    attack: "io_uring_setup: a large, often-exploited kernel interface that bypasses syscall filters",
    defence: "seccomp refusal",
    ...sys(["io_uring_setup"]),
  },
  {
    name: "file handles (the 'shocker' escape)",
    attack: "open_by_handle_at with a guessed handle to open host files outside the rootfs",
    defence: "seccomp refusal + no CAP_DAC_READ_SEARCH",
    ...sys(["open_by_handle_at", "name_to_handle_at"]),
  },
  {
    name: "fanotify and dcookies",
    attack: "watch host filesystem events, resolve kernel dcookies",
    defence: "seccomp refusal",
    ...sys(["fanotify_init", "lookup_dcookie"]),
  },
  {
    name: "kernel log and kernel memory",
    attack: "read dmesg, /proc/kmsg, /proc/kcore, /proc/timer_list, kernel symbol addresses",
    defence: "seccomp refusal of syslog + user namespace (root-only files belong to the host's root) + kptr_restrict",
    script: (c) =>
      `dmesg >/dev/null 2>&1 && echo DMESG; for f in /proc/kmsg /proc/kcore /proc/timer_list /proc/sched_debug; do head -c1 $f >/dev/null 2>&1 && echo READ-$f; done; echo nonzero=$(awk '$1 != "0000000000000000"' /proc/kallsyms | wc -l); ${syscallScript(["syslog"], c.hostPid)}`,
    check: (r) => {
      expect(r.output).not.toMatch(/DMESG|READ-/);
      expect(r.output).toContain("nonzero=0\n");
      refused(r, ["syslog"]);
    },
  },
  {
    name: "capabilities that would reach the host are not in the bounding set",
    attack: "use CAP_SYS_MODULE, SYS_RAWIO, SYS_PTRACE, SYS_BOOT, SYS_TIME, NET_ADMIN, NET_RAW, MAC_ADMIN, PERFMON, BPF",
    defence: "the OCI spec grants a short list, all scoped to the sandbox's user namespace",
    script: () => "grep CapBnd /proc/self/status",
    check: (r) => {
      const bnd = BigInt("0x" + /CapBnd:\s+([0-9a-f]+)/.exec(r.output)![1]);
      for (const [name, bit] of Object.entries({
        NET_ADMIN: 12,
        NET_RAW: 13,
        SYS_MODULE: 16,
        SYS_RAWIO: 17,
        SYS_PTRACE: 19,
        SYS_BOOT: 22,
        SYS_TIME: 25,
        MAC_ADMIN: 33,
        PERFMON: 38,
        BPF: 39,
      })) {
        expect((bnd >> BigInt(bit)) & 1n, `CAP_${name} in the bounding set`).toBe(0n);
      }
    },
  },
  {
    name: "set-uid binaries give nothing (no_new_privileges)",
    attack: "drop to a normal user, then regain root through a set-uid binary (su, mount, a copied one)",
    defence: "no_new_privileges: exec never raises privileges; nosuid on the writable layer's tmpfs",
    script: () =>
      "cp /usr/bin/id /tmp/id && chmod u+s /tmp/id; setpriv --reuid=1000 --regid=1000 --clear-groups sh -c '/tmp/id -u; grep NoNewPrivs /proc/self/status; /bin/mount -t tmpfs x /mnt 2>/dev/null && echo MOUNTED; echo done'",
    check: (r) => expect(r.output).toMatch(/^1000\nNoNewPrivs:\s+1\ndone\n$/),
  },
  // ── /proc and /sys ─────────────────────────────────────────────────────────────────────────────
  {
    name: "/proc/sys kernel settings cannot be written",
    attack: "set kernel.core_pattern to a pipe (runs a program as host root on the next crash), panic, drop_caches, modules_disabled",
    defence: "user namespace: /proc/sys files outside the sandbox's own namespaces belong to the host's root",
    script: () =>
      "echo '|/tmp/pwn %p' > /proc/sys/kernel/core_pattern 2>/dev/null && echo WROTE-core; echo 42 > /proc/sys/kernel/panic 2>/dev/null && echo WROTE-panic; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null && echo WROTE-drop; echo 1 > /proc/sys/kernel/modules_disabled 2>/dev/null && echo WROTE-mod; cat /proc/sys/kernel/core_pattern",
    check: (r) => {
      expect(r.output).not.toContain("WROTE");
      expect(r.output.trim()).toBe(fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8").trim());
    },
  },
  {
    name: "/proc/sysrq-trigger",
    attack: "write 'b' or 'c' to /proc/sysrq-trigger (reboot or crash the host)",
    defence: "user namespace: the file belongs to the host's root (absent on some kernels)",
    // 'h' only prints help to the kernel log: harmless if the defence ever failed.
    script: () => "echo h > /proc/sysrq-trigger 2>/dev/null && echo WROTE; echo done",
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "/sys cannot be written or remounted read-write",
    attack: "write /sys/kernel/mm settings, a network device's attributes, or remount /sys rw",
    defence: "sysfs mounted read-only; its files belong to the host's root; the remount needs host privileges",
    script: () =>
      "mount -o remount,rw /sys 2>/dev/null && echo REMOUNTED; echo 1 > /sys/kernel/mm/ksm/run 2>/dev/null && echo WROTE-ksm; echo never > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null && echo WROTE-thp; echo 1 > /sys/class/net/lo/carrier 2>/dev/null && echo WROTE-lo; echo done",
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "/sys/firmware and kernel debug interfaces show nothing",
    attack: "read the host's memory map and ACPI tables in /sys/firmware, /sys/kernel/debug, /sys/kernel/security",
    defence: "masked paths (empty read-only tmpfs over /sys/firmware); debugfs/securityfs not mounted",
    script: () =>
      "echo fw=$(find /sys/firmware -type f 2>/dev/null | wc -l) dbg=$(ls -A /sys/kernel/debug 2>/dev/null | wc -l) sec=$(ls -A /sys/kernel/security 2>/dev/null | wc -l)",
    check: (r) => expect(r.output).toBe("fw=0 dbg=0 sec=0\n"),
  },
  // ── cgroups ────────────────────────────────────────────────────────────────────────────────────
  {
    name: "cgroup v1 release_agent",
    attack: "mount a cgroup v1 hierarchy, set notify_on_release and a release_agent: the host runs it as root (CVE-2022-0492)",
    defence:
      "cgroup namespace (the mount's root is the sandbox's own cgroup, without release_agent) + files owned by the host's root + no new hierarchies from a user namespace",
    script: () =>
      "mkdir -p /mnt/a /mnt/b; mount -t cgroup -o memory cgroup /mnt/a 2>/dev/null; mount -t cgroup -o none,name=escape cgroup /mnt/b 2>/dev/null && echo NEW-HIERARCHY; for d in /mnt/a /sys/fs/cgroup/memory /sys/fs/cgroup/systemd; do echo 1 > $d/notify_on_release 2>/dev/null && echo WROTE-notify-$d; echo /tmp/pwn > $d/release_agent 2>/dev/null && echo WROTE-agent-$d; done; echo done",
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "the sandbox cannot raise its own limits or leave its cgroup",
    attack:
      "remount the cgroup mount rw (or mount it afresh) and raise memory/pids limits, create a child cgroup, move into cgroup2's root",
    defence:
      "the sandbox's cgroup files belong to the host's root (unmapped inside), whatever the mount flags; cgroup namespace hides the parents",
    script: () =>
      "mount -o remount,bind,rw /sys/fs/cgroup/memory 2>/dev/null; echo 9999999999 > /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null && echo WROTE-mem; mkdir -p /mnt/p /mnt/u; mount -t cgroup -o pids cgroup /mnt/p 2>/dev/null; echo max > /mnt/p/pids.max 2>/dev/null && echo WROTE-pids; mkdir /mnt/p/child 2>/dev/null && echo MKDIR; mount -t cgroup2 none /mnt/u 2>/dev/null; echo $$ > /mnt/u/cgroup.procs 2>/dev/null && echo MOVED; echo +memory > /mnt/u/cgroup.subtree_control 2>/dev/null && echo WROTE-subtree; echo done",
    check: (r, c) => {
      expect(r.output).toBe("done\n");
      expect(
        Number(
          readSandboxCgroup(cfg.runnerDir, c.sb.id, "memory.limit_in_bytes") ?? readSandboxCgroup(cfg.runnerDir, c.sb.id, "memory.max"),
        ),
      ).toBe(cfg.SANDBOX_MEMORY_MB * 1024 * 1024);
      expect((readSandboxCgroup(cfg.runnerDir, c.sb.id, "pids.max") ?? "").trim()).toBe(String(cfg.SANDBOX_PIDS));
    },
  },
  // ── namespaces inside namespaces ───────────────────────────────────────────────────────────────
  {
    name: "nested user namespaces and nsenter stay inside",
    attack: "unshare a nested user+mount+pid namespace (allowed, a lesson) or nsenter PID 1's namespaces, then look for the host",
    defence: "a nested namespace is a child of the sandbox's: it maps only sandbox ids and sees only what the sandbox sees",
    script: (c) =>
      `unshare --user --map-root-user --mount --pid --fork --mount-proc sh -c 'cat /proc/self/uid_map; cat /tmp/${c.marker} 2>/dev/null; mount --bind /proc/1/root /mnt 2>/dev/null; ls /mnt/tmp/${c.marker} 2>/dev/null; echo nested-done'; nsenter -t 1 -m -u -i -n -p -C sh -c 'hostname; ps -e --no-headers | wc -l'`,
    check: (r, c) => {
      const lines = r.output.trim().split("\n");
      expect(lines[0]!.trim().split(/\s+/)).toEqual(["0", "0", "1"]); // maps the sandbox's root only
      expect(r.output).not.toContain(HOST_SECRET);
      expect(lines[1]).toBe("nested-done");
      expect(lines[2]).toBe(c.sb.hostname);
      expect(Number(lines[3])).toBeLessThan(SANDBOX_PROCS_MAX);
    },
  },
  // ── network ────────────────────────────────────────────────────────────────────────────────────
  {
    name: "no route out",
    attack: "reach the internet, the hypervisor's metadata service, the gateway or the host's addresses",
    defence: "network namespace holding only loopback: no interface, no route",
    script: (c) =>
      `echo routes=$(ip route show | wc -l)/$(ip -6 route show default | wc -l) links=$(ip -o link | wc -l); for ip in 1.1.1.1 8.8.8.8 169.254.169.254 10.0.2.2 172.17.0.1 ${c.hostAddrs.join(" ")}; do timeout 2 bash -c "exec 3<>/dev/tcp/$ip/80" 2>/dev/null && echo OPEN-$ip; done; echo done`,
    check: (r) => expect(r.output).toBe("routes=0/0 links=1\ndone\n"),
  },
  {
    name: "raw and packet sockets",
    attack: "open raw IP, ICMP or packet sockets to forge traffic or sniff",
    defence: "no CAP_NET_RAW; ping sockets disabled in the sandbox's network namespace",
    script: () =>
      `perl -e 'use Socket; socket(S, PF_INET, SOCK_RAW, 1) and print "RAW\\n"; socket(S, PF_INET, SOCK_DGRAM, 1) and print "ICMP\\n"; socket(S, 17, SOCK_RAW, 0) and print "PACKET\\n"; print "done\\n"'; busybox ping -c1 -W1 127.0.0.1 2>/dev/null | grep -q 'bytes from' && echo PONG`,
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "no new network interfaces",
    attack: "create a veth, tun/tap or bridge to build a path out",
    defence: "no CAP_NET_ADMIN; even with it, an interface in the sandbox's namespace leads nowhere",
    script: () =>
      "ip link add v0 type veth peer name v1 2>/dev/null && echo VETH; ip tuntap add tap0 mode tap 2>/dev/null && echo TAP; ip link add br0 type bridge 2>/dev/null && echo BRIDGE; ip -o link | wc -l",
    check: (r) => expect(r.output).toBe("1\n"),
  },
  {
    name: "a service on the host's loopback",
    attack: "connect to 127.0.0.1:<port> where the host listens (databases, admin panels...)",
    defence: "network namespace: the sandbox's 127.0.0.1 is its own loopback",
    script: (c) => `timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/${c.hostPort}; cat <&3' 2>/dev/null && echo CONNECTED; echo done`,
    check: (r) => expect(r.output).toBe("done\n"),
  },
  {
    name: "the runner's API port",
    attack: "talk to the sandbox runner's HTTP API (create sandboxes, exec in others) on the host's loopback",
    defence: "network namespace; the API also needs an app token the sandbox never sees",
    script: (c) =>
      `for p in ${c.runnerPort} 3001 3101; do timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null && echo OPEN-$p; done; env | grep -ci secret; echo done`,
    check: (r) => expect(r.output).toBe("0\ndone\n"),
  },
  {
    name: "docker, containerd and runc sockets",
    attack: "use /var/run/docker.sock (or containerd's, or runc's state) to start a privileged container",
    defence: "mount namespace: no host socket or runc state is mounted; abstract sockets are per network namespace",
    script: (c) =>
      `ls /var/run/docker.sock /run/docker.sock /run/containerd /run/runc ${cfg.runnerDir}/runc 2>/dev/null; echo sockets=$(find / \\( -path /proc -o -path /sys \\) -prune -o -type s -print 2>/dev/null | wc -l); perl -e 'use Socket; socket(S, PF_UNIX, SOCK_STREAM, 0); connect(S, pack_sockaddr_un("\\0${c.abstractName}")) and print "ABSTRACT\\n"'; echo done`,
    check: (r) => expect(r.output).toBe("sockets=0\ndone\n"),
  },
  // ── clock, hostname ────────────────────────────────────────────────────────────────────────────
  {
    name: "the host's clock",
    attack: "set the time (date -s, clock_settime, settimeofday, adjtimex): the host and every sandbox share one clock",
    defence: "seccomp refusal + no CAP_SYS_TIME",
    script: (c) =>
      `date -s 2001-01-01 >/dev/null 2>&1 && echo SET; date +%Y; ${syscallScript(["clock_settime", "settimeofday", "adjtimex", "clock_adjtime"], c.hostPid)}`,
    check: (r) => {
      expect(r.output).not.toContain("SET");
      expect(Number(r.output.split("\n")[0])).toBe(new Date().getUTCFullYear());
      refused(r, ["clock_settime", "settimeofday", "adjtimex", "clock_adjtime"]);
    },
  },
  {
    name: "the host's hostname",
    attack: "change the hostname (the host's, or the sandbox next door's)",
    defence: "UTS namespace: the change stays in the sandbox",
    script: () => "hostname evil-host && hostname; cat /proc/sys/kernel/hostname",
    check: async (r, c) => {
      expect(r.output).toBe("evil-host\nevil-host\n");
      expect(os.hostname()).not.toBe("evil-host");
      expect((await m.exec(c.other.id, "hostname")).output.trim()).toBe(c.other.hostname);
      await m.exec(c.sb.id, `hostname ${c.sb.hostname}`);
    },
  },
  // ── read-only layers, limits on arguments ──────────────────────────────────────────────────────
  {
    name: "the OCI layout at /oci stays read-only",
    attack:
      "flip /oci's bind mount to read-write (runc creates it inside the user namespace, so the kernel allows the flag change) and rewrite the image",
    defence: "the layout's files belong to the host's root, unmapped inside: root in the sandbox has no write permission on them",
    script: () =>
      "touch /oci/x 2>/dev/null && echo WROTE-ro; mount -o remount,bind,rw /oci 2>/dev/null && echo flipped; touch /oci/x 2>/dev/null && echo WROTE; echo x >> /oci/index.json 2>/dev/null && echo APPENDED; rm -f /oci/oci-layout 2>/dev/null; test -e /oci/oci-layout || echo REMOVED; chmod 777 /oci 2>/dev/null && echo CHMOD; echo done",
    check: (r) => {
      expect(r.output).toMatch(/^(flipped\n)?done\n$/);
    },
  },
  {
    name: "huge argv and environment",
    attack: "exec with megabytes of arguments or environment to exhaust memory or overflow something",
    defence: "the kernel's argument limits (E2BIG) inside the sandbox's memory cgroup; the sandbox stays usable",
    script: () =>
      "big=$(head -c 3000000 /dev/zero | tr '\\0' a); env X=$big true 2>&1 | grep -c 'Argument list too long'; /bin/true $big 2>&1 | grep -c 'Argument list too long'; head -c 3000000 /dev/zero | tr '\\0' 'a' | xargs -s 3000000 true 2>&1 | grep -c 'too long'; echo alive",
    check: (r) => expect(r.output).toBe("1\n1\n1\nalive\n"),
  },
];

let m: SandboxManager;
let image: SandboxImage;
let server: RunnerServer;
let base: string;
let ctx: Ctx;
let hostSleeper: ChildProcess;
let hostServer: net.Server;
let hostAccepted = 0;
let abstractServer: net.Server;
let abstractAccepted = 0;
const corePatternBefore = fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8");

beforeAll(async () => {
  image = await testImage(testConfig());
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
  server = createRunnerServer({
    sandboxes: m,
    publicKey: KEYS.publicKey,
    runnerDir: cfg.runnerDir,
    log: testLogger(),
    terminalsPerSandbox: 2,
    recordingMaxBytes: 1 << 20,
  });
  const addr = await server.listen(0, "127.0.0.1");
  base = addr.url;

  hostServer = net.createServer((s) => {
    hostAccepted++;
    s.end("hello from the host\n");
  });
  await new Promise<void>((r) => hostServer.listen(0, "127.0.0.1", r));
  const abstractName = `h7-escape-${randomBytes(4).toString("hex")}`;
  abstractServer = net.createServer((s) => {
    abstractAccepted++;
    s.end();
  });
  await new Promise<void>((r) => abstractServer.listen("\0" + abstractName, r));
  hostSleeper = spawn("sleep", ["60"], { stdio: "ignore" });

  const marker = `escape-marker-${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(`/tmp/${marker}`, HOST_SECRET);
  const [sb, other] = await Promise.all([m.create("hostile"), m.create("neighbour")]);
  await m.exec(other.id, `echo ${OTHER_SECRET} > /root/other-mark; (exec -a other-sandbox-sleeper sleep 600 &)`);
  ctx = {
    sb,
    other,
    hostPid: hostSleeper.pid!,
    hostPort: (hostServer.address() as net.AddressInfo).port,
    runnerPort: addr.port,
    abstractName,
    marker,
    hostAddrs: Object.values(os.networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === "IPv4")
      .map((a) => a!.address),
    snapshotDir: image.layers[0]!.snapshotDir,
  };
});

afterAll(async () => {
  hostSleeper?.kill();
  hostServer?.close();
  abstractServer?.close();
  if (ctx) fs.rmSync(`/tmp/${ctx.marker}`, { force: true });
  await server?.close();
  await m?.shutdown();
});

/**
 * The ways the runner runs a script in a sandbox: one exec per script, the Check batch (every due
 * Check of a lesson in one exec, sandbox/check-batch.ts) and the Check agent that runs those batches
 * without an exec each (sandbox/check-agent.ts). Each probe runs through all three: the batch
 * must confine exactly as exec does.
 */
const paths: { name: string; run: (id: string, script: string) => Promise<ExecResult> }[] = [
  { name: "exec", run: (id, script) => m.exec(id, script, { timeoutMs: 30_000 }) },
  {
    name: "Check batch",
    run: async (id, script) => {
      const nonce = randomBytes(16).toString("hex");
      // Beside another Check, so the batch's driver runs it (a single Check goes to exec as it is).
      const [r] = await runCheckBatch(
        (s, o) => m.exec(id, s, o),
        [
          { id: "probe", script, timeoutMs: 30_000 },
          { id: "beside", script: "true", timeoutMs: 30_000 },
        ],
        nonce,
      );
      return r!;
    },
  },
  {
    name: "Check agent",
    // The path the runner's API takes (sandbox/check-agent.ts): the probe must really run in the agent.
    run: async (id, script) => {
      const before = m.checkPathStats();
      const [r] = await m.runChecks(id, [
        { id: "probe", script, timeoutMs: 30_000 },
        { id: "beside", script: "true", timeoutMs: 30_000 },
      ]);
      const after = m.checkPathStats();
      expect(after.agentBatches - before.agentBatches, "the probe ran in the Check agent, not through a fallback exec").toBe(1);
      return r!;
    },
  },
];

describe.each(paths)(`escape probes in a real sandbox (${probes.length}), through $name`, ({ run }) => {
  it("has at least 30 probes, each naming its attack and its defence", () => {
    expect(probes.length).toBeGreaterThanOrEqual(30);
    for (const p of probes) expect(p.attack.length > 10 && p.defence.length > 10, p.name).toBe(true);
  });

  for (const p of probes) {
    it(p.name, async () => {
      // The shell's own complaints (a refused redirection) go nowhere: probes print what they prove.
      const r = await run(ctx.sb.id, `exec 2>/dev/null\n${p.script(ctx)}`);
      expect(r.timedOut, `probe timed out; output: ${r.output}`).toBe(false);
      try {
        await p.check(r, ctx);
      } catch (e) {
        (e as Error).message += `\n  attack: ${p.attack}\n  defence: ${p.defence}\n  output: ${JSON.stringify(r.output)}`;
        throw e;
      }
    });
  }

  it("afterwards: the host saw no connection, its process is untraced and alive, core_pattern unchanged", async () => {
    expect(hostAccepted).toBe(0);
    expect(abstractAccepted).toBe(0);
    expect(hostSleeper.exitCode).toBeNull();
    expect(fs.readFileSync(`/proc/${ctx.hostPid}/status`, "utf8")).toMatch(/TracerPid:\s+0\n/);
    expect(fs.readFileSync("/proc/sys/kernel/core_pattern", "utf8")).toBe(corePatternBefore);
    // The sandbox survived its own attacks.
    expect((await m.exec(ctx.sb.id, "echo still-running")).output).toBe("still-running\n");
  });
});

/**
 * The Check agent (sandbox/check-agent.ts) is a process of the sandbox like any other: root inside
 * can kill it, stop it, write into its pipes or read them. Each attack gets a sandbox of its own (a
 * lost agent's backoff is per sandbox); every batch must still answer correctly, through the agent
 * or the one-exec fallback, while the runner and the sandbox next door carry on.
 */
describe("the Check agent against its learner", () => {
  const c = (id: string, script: string, timeoutMs = 5000) => ({ id, script, timeoutMs });
  const stats = () => m.checkPathStats();
  const diff = (a: CheckPathStats, b: CheckPathStats) => ({
    runcExecs: b.runcExecs - a.runcExecs,
    agentStarts: b.agentStarts - a.agentStarts,
    agentBatches: b.agentBatches - a.agentBatches,
    execBatches: b.execBatches - a.execBatches,
    agentsLost: b.agentsLost - a.agentsLost,
  });
  /** A sandbox whose agent runs (one batch went through it). */
  async function withAgent(owner: string): Promise<SandboxInfo> {
    const sb = await m.create(owner, { shell: false });
    const [r] = await m.runChecks(sb.id, [c("up", "echo up")]);
    expect(r).toMatchObject({ exitCode: 0, output: "up\n" });
    return sb;
  }
  const pair = [c("a", "echo a"), c("b", "echo b; exit 7")];
  const pairOk = (r: { exitCode: number; output: string }[]) =>
    expect(r.map((x) => [x.exitCode, x.output])).toEqual([
      [0, "a\n"],
      [7, "b\n"],
    ]);
  async function until(what: string, ok: () => boolean, ms = 30_000) {
    for (const end = Date.now() + ms; !ok(); await sleep(50)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }

  it("killed between batches: the next one answers by one exec, a new agent comes after the backoff", async () => {
    const sb = await withAgent("agent-killed");
    const s0 = stats();
    await m.exec(sb.id, "pkill -KILL -x verificador; true");
    pairOk(await m.runChecks(sb.id, pair));
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1, agentStarts: 0 });
    // The backoff after a first loss is a second.
    await sleep(1500);
    const s1 = stats();
    pairOk(await m.runChecks(sb.id, pair));
    expect(diff(s1, stats())).toMatchObject({ agentStarts: 1, agentBatches: 1, execBatches: 0 });
    await m.destroy(sb.id);
  });

  it("killed by one of the batch's own Checks: that batch still answers (by one exec)", async () => {
    const sb = await withAgent("agent-killed-inside");
    const s0 = stats();
    const r = await m.runChecks(sb.id, [c("killer", "pkill -KILL -x verificador; echo survived"), c("other", "echo other")]);
    expect(r.map((x) => [x.exitCode, x.output])).toEqual([
      [0, "survived\n"],
      [0, "other\n"],
    ]);
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1, agentBatches: 0 });
    await m.destroy(sb.id);
  });

  it("stopped (SIGSTOP): the batch falls back once the agent does not acknowledge; the neighbour's Checks and the event loop carry on", async () => {
    const sb = await withAgent("agent-stopped");
    await m.exec(sb.id, "pkill -STOP -x verificador; true");
    const s0 = stats();
    const loop = watchEventLoop();
    const stopped = m.runChecks(sb.id, pair);
    for (let i = 0; i < 3; i++) {
      const [n] = await m.runChecks(ctx.other.id, [c("n", `echo neighbour ${i}`)]);
      expect(n).toMatchObject({ exitCode: 0, output: `neighbour ${i}\n` });
    }
    pairOk(await stopped);
    const lag = loop.stop();
    expect(lag.p99Ms).toBeLessThan(100);
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1 });
    // The stopped agent was killed with everything it had started (no new one yet: backoff).
    expect((await m.exec(sb.id, "pgrep -c -x verificador; true")).output).toBe("0\n");
    await m.destroy(sb.id);
  });

  it("a Check that stops the batch midway (SIGSTOP to the driver): it ends at its deadline and answers by one exec", async () => {
    const sb = await withAgent("agent-hung");
    const s0 = stats();
    const r = await m.runChecks(sb.id, [c("hang", "kill -STOP $(pgrep -x verificador) 2>/dev/null; echo ran", 1000)]);
    expect(r[0]).toMatchObject({ exitCode: 0, output: "ran\n" });
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1 });
    await m.destroy(sb.id);
  });

  it("flooded through /proc/<pid>/fd/1 between batches: discarded at the junk cap; the batch answers", async () => {
    const sb = await withAgent("agent-flooded");
    const s0 = stats();
    await m.exec(sb.id, `p=$(pgrep -o -x verificador); (exec -a flooder yes > /proc/$p/fd/1 2>/dev/null </dev/null &); true`);
    await until("the flooded agent to be discarded", () => stats().agentsLost > s0.agentsLost);
    pairOk(await m.runChecks(sb.id, pair));
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1, agentBatches: 0 });
    // The writer lost its reader with the agent's runc: it is gone too.
    let left = "";
    for (let i = 0; i < 100 && left !== "0\n"; i++) left = (await m.exec(sb.id, "sleep 0.1; pgrep -c -f ^flooder; true")).output;
    expect(left).toBe("0\n");
    await m.destroy(sb.id);
  });

  it("flooded by a Check of the batch: discarded at the reply's cap, the flooder killed with it; the batch answers", async () => {
    const sb = await withAgent("agent-flooded-inside");
    const s0 = stats();
    const r = await m.runChecks(sb.id, [
      c("flood", 'p=$(pgrep -o -x verificador); [ -n "$p" ] && timeout 20 yes > /proc/$p/fd/1; echo checked', 30_000),
      c("other", "echo other"),
    ]);
    expect(r.map((x) => [x.exitCode, x.output])).toEqual([
      [0, "checked\n"],
      [0, "other\n"],
    ]);
    expect(diff(s0, stats())).toMatchObject({ agentsLost: 1, execBatches: 1, agentBatches: 0 });
    expect((await m.exec(sb.id, "pgrep -c -x yes; true")).output).toBe("0\n");
    await m.destroy(sb.id);
  });

  it("requests injected into its stdin run as the learner's own and do not desync the channel", async () => {
    const sb = await withAgent("agent-injected");
    const s0 = stats();
    const body = "echo injected > /tmp/injected";
    await m.exec(
      sb.id,
      `p=$(pgrep -o -x verificador); printf '%s %s %s\\n%s' ${"1".repeat(16)} ${"2".repeat(16)} ${body.length} '${body}' > /proc/$p/fd/0`,
    );
    pairOk(await m.runChecks(sb.id, pair));
    expect((await m.exec(sb.id, "cat /tmp/injected")).output).toBe("injected\n");
    expect(diff(s0, stats())).toMatchObject({ agentBatches: 1, agentsLost: 0, execBatches: 0 });
    await m.destroy(sb.id);
  });

  it("its requests read away from its stdin: the batch still answers (by the agent or one exec)", async () => {
    const sb = await withAgent("agent-robbed");
    await m.exec(sb.id, `p=$(pgrep -o -x verificador); (exec -a thief cat /proc/$p/fd/0 > /tmp/stolen 2>/dev/null </dev/null &); true`);
    for (let i = 0; i < 3; i++) pairOk(await m.runChecks(sb.id, pair));
    await m.destroy(sb.id);
  });

  it("killed in a loop: every batch answers, at about one runc exec per batch (the backoff spaces new agents)", async () => {
    const sb = await withAgent("agent-kill-loop");
    await m.exec(
      sb.id,
      `(exec -a killer bash -c 'while :; do pkill -KILL -x verificador; sleep 0.02; done' >/dev/null 2>&1 </dev/null &); true`,
    );
    const s0 = stats();
    const t0 = Date.now();
    const n = 8;
    for (let i = 0; i < n; i++) pairOk(await m.runChecks(sb.id, pair));
    const d = diff(s0, stats());
    // New agents after 1, 2, 4, 8... s: at most 1 + log2 of the seconds elapsed (without the backoff,
    // one per batch), each costing its start and, killed, its batch's fallback exec.
    const maxStarts = 1 + Math.ceil(Math.log2(1 + (Date.now() - t0) / 1000));
    expect(d.agentStarts).toBeLessThanOrEqual(maxStarts);
    // Each batch answered once: by an agent, or by its own exec.
    expect(d.agentBatches + d.execBatches).toBe(n);
    await m.destroy(sb.id);
  });

  it("afterwards: the neighbour's Checks still run in its own agent", async () => {
    const s0 = stats();
    const [r] = await m.runChecks(ctx.other.id, [c("n", "cat /root/other-mark")]);
    expect(r).toMatchObject({ exitCode: 0, output: `${OTHER_SECRET}\n` });
    expect(diff(s0, stats())).toMatchObject({ agentBatches: 1, runcExecs: 0 });
  });
});

describe("image layers a learner destroys", () => {
  it("rm -rf and overwrites inside change only the sandbox's writable layer, never the host's Snapshots", async () => {
    const file = "usr/bin/perl";
    const lower = image.layers.map((l) => path.join(l.snapshotDir, file)).find((f) => fs.existsSync(f))!;
    const hash = () => createHash("sha256").update(fs.readFileSync(lower)).digest("hex");
    const before = hash();
    const victim = await m.create("vandal");
    const r = await m.exec(
      victim.id,
      "echo pwned > /usr/bin/perl; rm -rf /etc /usr/lib/x86_64-linux-gnu/perl-base 2>/dev/null; ls /etc 2>&1 | head -1; cat /usr/bin/perl",
      { timeoutMs: 30_000 },
    );
    expect(r.output).toMatch(/No such file or directory\npwned\n$/);
    await m.destroy(victim.id);
    expect(hash()).toBe(before);
    const fresh = await m.create("after-vandal");
    expect((await m.exec(fresh.id, "perl -e 'print qq(perl ok\\n)'; head -1 /etc/passwd")).output).toBe(
      "perl ok\nroot:x:0:0:root:/root:/bin/bash\n",
    );
    await m.destroy(fresh.id);
  });
});

describe("paths and sizes the runner accepts from outside", () => {
  let app: string;
  beforeAll(async () => {
    app = await signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" });
  });

  it("a recording path cannot leave the recordings dir: .., encoded .., slashes, absolute paths, NUL", async () => {
    const recordings = path.join(cfg.runnerDir, "recordings");
    // A real recording (the route works: the test can fail) and a secret one level up from it.
    fs.mkdirSync(path.join(recordings, ctx.sb.id), { recursive: true });
    fs.writeFileSync(path.join(recordings, ctx.sb.id, "t-real.cast"), '{"version":2}\n');
    fs.writeFileSync(path.join(cfg.runnerDir, "evil.cast"), "RUNNER-SECRET");
    fs.writeFileSync(path.join(recordings, "evil.cast"), "RUNNER-SECRET");
    const ok = await rawRequest(base, "GET", `/v1/recordings/${ctx.sb.id}/t-real`, { token: app });
    expect(ok).toMatchObject({ status: 200, body: '{"version":2}\n' });
    const attacks = [
      "/v1/recordings/../evil",
      "/v1/recordings/%2e%2e/evil",
      "/v1/recordings/%2E%2E/t-evil",
      "/v1/recordings/..%2F..%2Frunner/evil",
      `/v1/recordings/${ctx.sb.id}/..%2F..%2Fevil`,
      `/v1/recordings/${ctx.sb.id}/..%2fevil`,
      "/v1/recordings/%2Fetc%2Fpasswd/t-a",
      `/v1/recordings/${ctx.sb.id}/t-real%00`,
      "/v1/recordings/%252e%252e/evil",
      `/v1/recordings/${ctx.sb.id}/%2e%2e%2f%2e%2e%2fevil`,
      "/v1/recordings/..;/evil",
      `/v1/recordings/${ctx.sb.id}/t-..%2f..%2fevil`,
    ];
    for (const a of attacks) {
      const res = await rawRequest(base, "GET", a, { token: app });
      expect([400, 404], `${a} → ${res.status} ${res.body}`).toContain(res.status);
      expect(res.body, a).not.toContain("RUNNER-SECRET");
    }
    fs.rmSync(path.join(cfg.runnerDir, "evil.cast"));
    fs.rmSync(path.join(recordings, "evil.cast"));
  });

  it("a learner cannot plant a symlink among the recordings: the host's recordings dir is not in the sandbox", async () => {
    const dir = path.join(cfg.runnerDir, "recordings", ctx.sb.id);
    fs.mkdirSync(dir, { recursive: true });
    // The learner creates the very path inside (their own filesystem): it lands in their layer only.
    const r = await m.exec(ctx.sb.id, `mkdir -p ${dir} && ln -sf /etc/shadow ${dir}/t-link.cast && readlink ${dir}/t-link.cast`);
    expect(r.output).toBe("/etc/shadow\n");
    expect(fs.existsSync(path.join(dir, "t-link.cast"))).toBe(false);
    const res = await rawRequest(base, "GET", `/v1/recordings/${ctx.sb.id}/t-link`, { token: app });
    expect(res.status).toBe(404);
  });

  it("huge request bodies get a clear 4xx and the runner keeps serving", async () => {
    const oneMiB = JSON.stringify({ script: "a".repeat(1024 * 1024) });
    const big = await rawRequest(base, "POST", `/v1/sandboxes/${ctx.sb.id}/exec`, { token: app, body: oneMiB });
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body)).toMatchObject({ error: "bad-request", message: expect.stringContaining("script") });
    const huge = await rawRequest(base, "POST", `/v1/sandboxes/${ctx.sb.id}/exec`, {
      token: app,
      body: JSON.stringify({ script: "b".repeat(3 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const ok = await rawRequest(base, "POST", `/v1/sandboxes/${ctx.sb.id}/exec`, {
      token: app,
      body: JSON.stringify({ script: "echo fine" }),
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ exitCode: 0, output: "fine\n" });
  });
});

/**
 * Kernel-wide counters and the limits around them (issue 15, items 3 and 7), in real sandboxes.
 *
 * The kernel charges inotify instances, pending signals and message-queue bytes to the sandbox's
 * (user namespace, uid), then to the namespace's owner on the host. Before, that owner was host root
 * for every sandbox: one sandbox that used them up took them from every other sandbox and from the
 * host's root. Each attack here runs as nine uids at once (root inside can switch uids at will, and a
 * per-uid cap alone would not bound the sandbox), then another sandbox and host root ask for one.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type SandboxInfo } from "../sandbox/manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import { SANDBOX_RLIMITS, SANDBOX_USER_LIMITS } from "../container/userns";
import { readSandboxCgroup, sleep } from "./harness";

const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-counters" });
let m: SandboxManager;

/**
 * Takes one kind of counter until the kernel refuses (or `max`), prints "<kind> <count> (<error>)",
 * then holds what it took for `hold` seconds. Syscalls by number (x86_64): perl-base has no
 * inotify or mqueue module. Run with no hold, it gives its message queues back.
 */
const TAKE_PL = String.raw`
use strict; use POSIX ();
my ($kind, $hold, $max) = @ARGV; $max ||= 200000; $| = 1;
my ($n, $err, @keep, @names) = (0, "");
if ($kind eq "inotify") {
  while ($n < $max) { my $fd = syscall(294, 0); if ($fd < 0) { $err = "$!"; last } push @keep, $fd; $n++ }
} elsif ($kind eq "mqueue") {
  my $attr = pack("q8", 0, 10, 8192, 0, 0, 0, 0, 0);
  while ($n < $max) {
    my $name = "take-$<-$$-$n";
    my $fd = syscall(240, $name, 0100 | 02, 0600, $attr);
    if ($fd < 0) { $err = "$!"; last }
    push @keep, $fd; push @names, $name; $n++;
  }
} elsif ($kind eq "signals") {
  POSIX::sigprocmask(POSIX::SIG_BLOCK(), POSIX::SigSet->new(34));
  pipe(my $r, my $w);
  my $pid = fork();
  if ($pid == 0) { close $w; <$r>; POSIX::_exit(0) }
  close $r; push @keep, $w;
  my $si = pack("iii", 34, 0, -1) . ("\0" x 116);
  while ($n < $max) { if (syscall(129, $pid, 34, $si) < 0) { $err = "$!"; last } $n++ }
  if (!$hold) { kill 9, $pid; waitpid($pid, 0) }
} else { die "unknown kind $kind\n" }
print "$kind $n ($err)\n";
if ($hold) { sleep $hold } else { syscall(241, $_) for @names }
`;

const UIDS = [0, 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007];

/** Starts TAKE_PL as each of UIDS in the background and waits until every one has printed its count. */
async function exhaust(s: SandboxInfo, kind: string): Promise<{ uid: number; n: number; err: string }[]> {
  const start = [
    `cat > /tmp/take.pl <<'EOF'\n${TAKE_PL}\nEOF`,
    ...UIDS.map(
      (u) => `setsid setpriv --reuid=${u} --regid=${u} --clear-groups perl /tmp/take.pl ${kind} 600 > /tmp/take.${u} 2>&1 < /dev/null &`,
    ),
  ].join("\n");
  const r = await m.exec(s.id, start);
  expect(r.exitCode, r.output).toBe(0);
  for (;;) {
    const out = await m.exec(s.id, `for u in ${UIDS.join(" ")}; do echo "$u $(cat /tmp/take.$u 2>/dev/null)"; done`);
    const lines = out.output.trim().split("\n");
    const rows = lines.map((l) => /^(\d+) \S+ (\d+) \((.*)\)$/.exec(l)).filter((x): x is RegExpExecArray => x !== null);
    if (rows.length === UIDS.length) return rows.map((x) => ({ uid: Number(x[1]), n: Number(x[2]), err: x[3] ?? "" }));
    // A line that is neither empty nor a count is perl failing (a missing module, a bad syscall).
    const broken = lines.filter((l) => !/^\d+ ?$/.test(l) && !/^(\d+) \S+ (\d+) \((.*)\)$/.test(l));
    if (broken.length) throw new Error(`the attack failed to start:\n${broken.join("\n")}`);
    await sleep(300);
  }
}

/** One of `kind` for another sandbox: the count it got (1 when it got one). */
async function oneIn(s: SandboxInfo, kind: string): Promise<string> {
  const r = await m.exec(s.id, `cat > /tmp/one.pl <<'EOF'\n${TAKE_PL}\nEOF\nperl /tmp/one.pl ${kind} 0 1`);
  return r.output.trim();
}

/** One of `kind` for the host's root: a fresh host process (the runner's own inotify fd would not tell). */
function oneOnHost(kind: string): string {
  const r = spawnSync("perl", ["-e", TAKE_PL, kind, "0", "1"], { encoding: "utf8", timeout: 30_000 });
  return (r.stdout + r.stderr).trim();
}

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(testConfig()), testLogger());
  await m.init();
}, 120_000);
afterAll(async () => {
  await m?.shutdown();
});

describe("kernel counters are each sandbox's own", () => {
  const total = (rows: { n: number }[]) => rows.reduce((a, r) => a + r.n, 0);

  it("inotify instances: one sandbox using them all up, as nine uids, leaves the next sandbox and the host's root theirs", async () => {
    const [a, b] = [await m.create("inotify-a"), await m.create("inotify-b")];
    try {
      const rows = await exhaust(a, "inotify");
      console.info(`inotify taken by sandbox A: ${rows.map((r) => `${r.uid}:${r.n}`).join(" ")}`);
      // Every uid hit a limit, none got more than the sandbox's per-uid cap, and the sandbox's total
      // stops at the host's per-user limit: its own account (its namespace's owner), not root's.
      expect(rows.every((r) => r.err !== "")).toBe(true);
      expect(Math.max(...rows.map((r) => r.n))).toBeLessThanOrEqual(SANDBOX_USER_LIMITS.max_inotify_instances);
      expect(total(rows)).toBeLessThanOrEqual(Number(readFileSync("/proc/sys/fs/inotify/max_user_instances", "utf8")));
      expect(await oneIn(b, "inotify")).toBe("inotify 1 ()");
      expect(oneOnHost("inotify")).toBe("inotify 1 ()");
    } finally {
      await m.destroy(a.id);
      await m.destroy(b.id);
    }
  }, 120_000);

  it("POSIX message queues: one sandbox filling its quota leaves the next sandbox and the host's root theirs", async () => {
    const [a, b] = [await m.create("mqueue-a"), await m.create("mqueue-b")];
    try {
      const rows = await exhaust(a, "mqueue");
      console.info(`message queues taken by sandbox A: ${rows.map((r) => `${r.uid}:${r.n}`).join(" ")}`);
      expect(rows.every((r) => r.err !== "")).toBe(true);
      // Each queue of 10 × 8 KiB charges at least 80 KiB: the whole sandbox holds at most one RLIMIT_MSGQUEUE.
      expect(total(rows) * 10 * 8192).toBeLessThanOrEqual(SANDBOX_RLIMITS.RLIMIT_MSGQUEUE);
      expect(total(rows)).toBeGreaterThan(0);
      expect(await oneIn(b, "mqueue")).toBe("mqueue 1 ()");
      expect(oneOnHost("mqueue")).toBe("mqueue 1 ()");
    } finally {
      await m.destroy(a.id);
      await m.destroy(b.id);
    }
  }, 120_000);

  it("pending signals: one sandbox queueing all it can leaves the next sandbox and the host's root theirs", async () => {
    const [a, b] = [await m.create("signals-a"), await m.create("signals-b")];
    try {
      const rows = await exhaust(a, "signals");
      console.info(`signals queued by sandbox A: ${rows.map((r) => `${r.uid}:${r.n}`).join(" ")}`);
      expect(rows.every((r) => r.err !== "")).toBe(true);
      expect(total(rows)).toBeLessThanOrEqual(SANDBOX_RLIMITS.RLIMIT_SIGPENDING);
      expect(await oneIn(b, "signals")).toBe("signals 1 ()");
      expect(oneOnHost("signals")).toBe("signals 1 ()");
    } finally {
      await m.destroy(a.id);
      await m.destroy(b.id);
    }
  }, 120_000);

  it("root inside cannot raise the caps: not the namespace's user.max_*, not its rlimits, not through a nested namespace", async () => {
    const s = await m.create("raise");
    try {
      const r = await m.exec(
        s.id,
        [
          `cat > /tmp/take.pl <<'EOF'\n${TAKE_PL}\nEOF`,
          "echo 100000 > /proc/sys/user/max_inotify_instances 2>/dev/null; echo sysctl=$?",
          "echo 1 > /proc/sys/user/max_net_namespaces 2>/dev/null; echo netns-sysctl=$?",
          "cat /proc/sys/user/max_inotify_instances /proc/sys/user/max_net_namespaces",
          "echo nofile=$(ulimit -n) hard=$(ulimit -Hn) sigpending=$(ulimit -i) msgqueue=$(ulimit -q)",
          "(ulimit -n 4096) 2>/dev/null; echo raise-n=$?",
          "(ulimit -Hn 4096) 2>/dev/null; echo raise-Hn=$?",
          "(ulimit -i 100000) 2>/dev/null; echo raise-i=$?",
          "(ulimit -q 100000000) 2>/dev/null; echo raise-q=$?",
          // A nested namespace's root may raise its own copy; the sandbox's cap still holds.
          "unshare --user --map-root-user sh -c 'echo 100000 > /proc/sys/user/max_inotify_instances && echo nested=$(cat /proc/sys/user/max_inotify_instances) && perl /tmp/take.pl inotify 0 1000'",
        ].join("\n"),
      );
      const o = r.output;
      expect(o).toMatch(/^sysctl=[1-9]/m);
      expect(o).toMatch(/^netns-sysctl=[1-9]/m);
      expect(o).toContain(`${SANDBOX_USER_LIMITS.max_inotify_instances}\n0\n`);
      expect(o).toContain(
        `nofile=1024 hard=1024 sigpending=${SANDBOX_RLIMITS.RLIMIT_SIGPENDING} msgqueue=${SANDBOX_RLIMITS.RLIMIT_MSGQUEUE}`,
      );
      for (const l of ["n", "Hn", "i", "q"]) expect(o).toMatch(new RegExp(`^raise-${l}=[1-9]`, "m"));
      expect(o).toContain("nested=100000");
      const nested = Number(/^inotify (\d+) \(.+\)$/m.exec(o)?.[1]);
      expect(nested).toBeGreaterThan(0);
      expect(nested).toBeLessThanOrEqual(SANDBOX_USER_LIMITS.max_inotify_instances);
    } finally {
      await m.destroy(s.id);
    }
  }, 120_000);
});

describe("nested user namespaces keep the lessons but get no network privileges", () => {
  let s: SandboxInfo;
  beforeAll(async () => {
    s = await m.create("nested-net");
  });

  it("no new network namespace, so no veth and no packet socket for a nested root", async () => {
    const r = await m.exec(
      s.id,
      [
        "unshare --user --map-root-user --net true 2>/dev/null; echo userns-net=$?",
        "unshare --net true 2>/dev/null; echo net=$?",
        "unshare -r ip link add v0 type veth peer name v1 2>/dev/null; echo veth=$?",
        "unshare -r --net ip link add v0 type veth peer name v1 2>/dev/null; echo veth-own-netns=$?",
        `unshare -r --net perl -e 'use Socket; socket(my $s, 17, SOCK_RAW, 0) or exit 3; exit 0' 2>/dev/null; echo packet-own-netns=$?`,
        `unshare -r perl -e 'use Socket; socket(my $s, 17, SOCK_RAW, 0) or exit 3; exit 0' 2>/dev/null; echo packet=$?`,
      ].join("\n"),
    );
    for (const k of ["userns-net", "net", "veth", "veth-own-netns", "packet-own-netns", "packet"])
      expect(r.output, r.output).toMatch(new RegExp(`^${k}=[1-9]`, "m"));
  });

  it("the lessons' unshare commands still work", async () => {
    const r = await m.exec(
      s.id,
      [
        "unshare --user --map-root-user --pid --fork --mount-proc bash -c 'echo PID $$; ps -e --no-headers | wc -l'",
        "unshare --uts bash -c 'hostname outro; hostname'",
        "unshare --uts --pid --mount --fork bash -c 'mount -t proc proc /proc && echo inner $$'",
        "unshare --user --map-root-user --mount --pid --fork bash -c 'echo nested $$'",
      ].join("\n"),
    );
    expect(r.exitCode, r.output).toBe(0);
    expect(r.output).toMatch(/^PID 1\n\d+\noutro\ninner 1\nnested 1\n$/);
  });

  it("/sys/kernel/vmcoreinfo (where the kernel's crash notes sit in physical memory) shows nothing", async () => {
    const r = await m.exec(s.id, "cat /sys/kernel/vmcoreinfo | wc -c");
    expect(r.output.trim()).toBe("0");
  });
});

describe("block I/O", () => {
  it("the sandbox's cgroup throttles the Snapshots' disk at SANDBOX_IO_MBPS / SANDBOX_IO_IOPS, and O_DIRECT reads are slowed to it", async () => {
    const ioCfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-io", SANDBOX_IO_MBPS: "1", SANDBOX_IO_IOPS: "100" });
    const io = new SandboxManager(ioCfg, await testImage(testConfig()), testLogger());
    await io.init();
    try {
      const s = await io.create("io", { shell: false });
      const v1 = readSandboxCgroup(ioCfg.runnerDir, s.id, "blkio.throttle.read_bps_device");
      const limits = v1 ?? readSandboxCgroup(ioCfg.runnerDir, s.id, "io.max") ?? "";
      if (v1 !== undefined) {
        expect(v1).toMatch(/^\d+:\d+ 1048576\n/);
        expect(readSandboxCgroup(ioCfg.runnerDir, s.id, "blkio.throttle.write_bps_device")).toMatch(/^\d+:\d+ 1048576\n/);
        expect(readSandboxCgroup(ioCfg.runnerDir, s.id, "blkio.throttle.read_iops_device")).toMatch(/^\d+:\d+ 100\n/);
      } else {
        expect(limits).toMatch(/rbps=1048576 wbps=1048576 riops=100 wiops=100/);
      }
      // 3 MiB read around the page cache from an image file, at 1 MiB/s: at least two seconds
      // (unthrottled it takes milliseconds). A lower bound only: a busy host makes it slower, never faster.
      const r = await io.exec(
        s.id,
        "f=$(ls -S /usr/lib/x86_64-linux-gnu/*.so* | head -1); dd if=$f of=/dev/null bs=64k count=48 iflag=direct 2>&1 | tail -1",
        { timeoutMs: 60_000 },
      );
      expect(r.output).toMatch(/3145728 bytes/);
      expect(r.durationMs).toBeGreaterThanOrEqual(2000);
    } finally {
      await io.shutdown();
    }
  }, 120_000);
});

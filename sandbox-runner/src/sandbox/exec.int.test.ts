/**
 * exec (a Check) against a hostile script, on real containers: the sandbox holds no descriptor of
 * the runner's, cannot flood the runner through any channel it can reach, cannot forge another
 * exec's status; and the runner signals only the sandbox's own processes, never a host process
 * that took a stale pid.
 */
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cgroupParentFor, cgroupsPathFor } from "../container/cgroups";
import { SandboxManager, type SandboxInfo } from "./manager";
import { killTree } from "./process-tree";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig();
let m: SandboxManager;
let sb: SandboxInfo;

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(cfg), testLogger());
  await m.init();
  sb = await m.create("exec-hostile", { shell: false });
});
afterAll(async () => {
  await m?.shutdown();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await sleep(100);
  }
}

/**
 * What a process in the sandbox could hold of the runner's: the runner's pipes (`pipe:[123]`, one
 * inode for both ends) and the other ends of its unix sockets (a socketpair's ends are two inodes;
 * `ss` pairs them up).
 */
function runnersEnds(pid: number): Set<string> {
  const mine = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const t = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (/^(pipe|socket):\[\d+\]$/.test(t)) mine.add(t);
    } catch {
      /* closed meanwhile */
    }
  }
  const ends = new Set(mine);
  const ss = spawnSync("ss", ["-xan"], { encoding: "utf8" });
  if (ss.status !== 0) throw new Error(`ss -xan failed: ${ss.stderr}`);
  for (const line of ss.stdout.split("\n").slice(1)) {
    const f = line.trim().split(/\s+/);
    const [local, peer] = [f[f.length - 3], f[f.length - 1]];
    if (mine.has(`socket:[${local}]`) && peer && peer !== "0") ends.add(`socket:[${peer}]`);
  }
  return ends;
}

/**
 * The red team's flood: for each descriptor 1-63 of the Check's wrapper ($PPID), a writer that takes
 * it with pidfd_getfd and one that opens it through /proc (pipes only), each double-forked so it
 * outlives the script; 70 MiB each.
 */
const FLOOD_EVERY_CHANNEL = [
  "echo start",
  `(perl -e '$p = syscall(434, $ARGV[0] + 0, 0); for $fd (1..63) { $n = syscall(438, $p, $fd, 0); next if $n < 0; next if fork; open(my $f, ">&=", $n) or exit; $b = "\\0" x 65536; for (1..1120) { syswrite($f, $b) or exit } exit }' $PPID &)`,
  "for f in /proc/$PPID/fd/*; do [ $f = /proc/$PPID/fd/0 ] || (head -c 70M /dev/zero > $f 2>/dev/null < /dev/null &); done",
].join("; ");

/** Host pids of the sandbox's processes whose command line is exactly `argv`. */
function sandboxPids(id: string, argv: string[]): number[] {
  const cgroupsPath = cgroupsPathFor(cgroupParentFor(cfg.runnerDir), id);
  const found: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const lines = readFileSync(`/proc/${name}/cgroup`, "utf8").split("\n");
      if (!lines.some((l) => l.endsWith(`:${cgroupsPath}`))) continue;
      if (readFileSync(`/proc/${name}/cmdline`, "utf8") === argv.join("\0") + "\0") found.push(Number(name));
    } catch {
      /* gone meanwhile */
    }
  }
  return found;
}

const alive = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(")") + 2));
  } catch {
    return false;
  }
};

describe("exec holds no runner descriptor in the sandbox", () => {
  it("no pipe or socket of the runner's is open in any process of the sandbox during a Check", async () => {
    // The Check lists every descriptor in the sandbox, then waits while the runner's are read.
    const check = m.exec(
      sb.id,
      "rm -f /tmp/go; for f in /proc/[0-9]*/fd/*; do readlink $f; done 2>/dev/null | sort -u > /tmp/fds; touch /tmp/listed; while [ ! -e /tmp/go ]; do sleep 0.05; done; echo done",
      { timeoutMs: 60_000 },
    );
    const listed = await eventually(
      () => m.exec(sb.id, "test -e /tmp/listed && echo listed"),
      (r) => r.output === "listed\n",
    );
    expect(listed.output).toBe("listed\n");
    const runners = runnersEnds(process.pid);
    await m.exec(sb.id, "touch /tmp/go");
    expect(await check).toMatchObject({ exitCode: 0, output: "done\n" });
    const inside = (await m.exec(sb.id, "cat /tmp/fds; rm -f /tmp/fds /tmp/listed /tmp/go")).output.trim().split("\n");
    expect(inside.some((t) => /^pipe:/.test(t))).toBe(true); // runc's own pipes: the listing saw them
    expect(inside.filter((t) => runners.has(t))).toEqual([]);
  });

  it("pidfd_getfd on the wrapper is refused for every descriptor it has", async () => {
    // Each descriptor number 0-63 of the wrapper ($PPID): the errno (1 EPERM), or GOT; EBADF (no such fd) skipped.
    const r = await m.exec(
      sb.id,
      `perl -e '$p = syscall(434, $ARGV[0] + 0, 0); print "pidfd=", ($p >= 0 ? "ok" : $!+0), "\\n"; for $fd (0..63) { $! = 0; $r = syscall(438, $p, $fd, 0); next if $r < 0 && $!+0 == 9; print "$fd ", ($r >= 0 ? "GOT" : $!+0), "\\n" }' $PPID`,
    );
    const [pidfd, ...tries] = r.output.trim().split("\n");
    expect(pidfd).toBe("pidfd=ok"); // pidfd_open itself is allowed: the refusal is pidfd_getfd's
    expect(tries.length).toBeGreaterThanOrEqual(3);
    expect(tries.filter((t) => !/^\d+ 1$/.test(t))).toEqual([]);
  });
});

describe("exec against a flood on every channel the sandbox reaches", () => {
  it("the wrapper's stdout and stderr (runc's pipes), written directly: the Check ends, truncated", async () => {
    const rss0 = process.memoryUsage().rss;
    const r = await m.exec(
      sb.id,
      "echo start; head -c 70M /dev/zero > /proc/$PPID/fd/2 & head -c 70M /dev/zero > /proc/$PPID/fd/1; wait; echo never",
      { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 },
    );
    const grown = process.memoryUsage().rss - rss0;
    expect(r).toMatchObject({ truncated: true, timedOut: false });
    expect(r.output).toMatch(/^start\n\0+$/);
    expect(Buffer.byteLength(r.output)).toBe(64 * 1024);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
    expect(
      (
        await eventually(
          () => m.exec(sb.id, "pgrep -c -x head || true"),
          (x) => x.output === "0\n",
        )
      ).output,
    ).toBe("0\n");
  });

  it("writers left behind on every descriptor of the wrapper: the Check ends and they lose their reader", async () => {
    const rss0 = process.memoryUsage().rss;
    const r = await m.exec(sb.id, FLOOD_EVERY_CHANNEL, { timeoutMs: 60_000, maxOutputBytes: 64 * 1024 });
    const grown = process.memoryUsage().rss - rss0;
    expect(r.timedOut).toBe(false);
    expect(r.output).toMatch(/^start\n/);
    expect(Buffer.byteLength(r.output)).toBeLessThanOrEqual(64 * 1024);
    expect(grown).toBeLessThan(40 * 1024 * 1024);
    // Once the exec ended nothing reads those pipes: every writer dies (EPIPE) instead of streaming on.
    const left = await eventually(
      () => m.exec(sb.id, "pgrep -c -x 'head|perl' || true"),
      (x) => x.output === "0\n",
    );
    expect(left.output).toBe("0\n");
    expect((await m.exec(sb.id, "echo still fine")).output).toBe("still fine\n");
  });
});

describe("exec status", () => {
  it("0, 3, and 137 when the script kills itself with SIGKILL", async () => {
    expect(await m.exec(sb.id, "echo ok")).toMatchObject({ exitCode: 0, output: "ok\n", timedOut: false, truncated: false });
    expect(await m.exec(sb.id, "echo three; exit 3")).toMatchObject({ exitCode: 3, output: "three\n" });
    const killed = await m.exec(sb.id, "echo bye; kill -9 $$; echo never");
    expect(killed.exitCode).toBe(137);
    expect(killed.output).toMatch(/^bye\n(Killed\n)?$/); // the wrapper's shell says so
  });

  it("keeps the output's order and last line as printed; the trailer never shows", async () => {
    const r = await m.exec(sb.id, "echo one; echo two >&2; printf 'no newline at the end'");
    expect(r).toMatchObject({ exitCode: 0, output: "one\ntwo\nno newline at the end" });
    const blank = await m.exec(sb.id, "echo; echo; exit 4");
    expect(blank).toMatchObject({ exitCode: 4, output: "\n\n" });
    expect(r.output + blank.output).not.toMatch(/[0-9a-f]{32} \d/);
  });

  it("a fake trailer with another nonce is output like any other; the script's real status counts", async () => {
    const fake = "\n0123456789abcdef0123456789abcdef 0\n";
    const r = await m.exec(sb.id, `printf '${fake.replace(/\n/g, "\\n")}'; exit 5`);
    expect(r).toMatchObject({ exitCode: 5, output: fake });
  });

  it("returns once the script ends, although a background process holds the output", async () => {
    const r = await m.exec(sb.id, "sleep 100 & echo launched", { timeoutMs: 60_000 });
    expect(r).toMatchObject({ exitCode: 0, output: "launched\n", timedOut: false, truncated: false });
    expect((await m.exec(sb.id, "pgrep -x -f 'sleep 100' >/dev/null && echo running")).output).toBe("running\n");
    await m.exec(sb.id, "pkill -x -f 'sleep 100'; true");
  });

  it("a script that kills the wrapper gets runc's status, not a hang", async () => {
    const r = await m.exec(sb.id, "echo before; kill -9 $PPID; echo after", { timeoutMs: 60_000 });
    expect(r).toMatchObject({ exitCode: 137, timedOut: false });
    expect(r.output).toMatch(/^before\n/);
  });
});

describe("killing an exec's processes", () => {
  it("signals the sandbox's processes, never a host process handed over as a stale pid", async () => {
    const cgroupsPath = cgroupsPathFor(cgroupParentFor(cfg.runnerDir), sb.id);
    const host = spawn("sleep", ["30"], { stdio: "ignore" });
    const hostExit = new Promise((r) => host.once("exit", r));
    try {
      await m.exec(sb.id, "sleep 301 & echo started");
      const [inside] = await eventually(
        async () => sandboxPids(sb.id, ["sleep", "301"]),
        (p) => p.length === 1,
      );
      expect(inside).toBeGreaterThan(0);

      await killTree(host.pid!, cgroupsPath);
      await killTree(inside!, cgroupsPath);
      // The sandbox's process goes (that signal was sent after the host one would have been)...
      expect(
        await eventually(
          async () => alive(inside!),
          (a) => !a,
        ),
      ).toBe(false);
      // ...and the host's stays, even given time to die.
      await Promise.race([hostExit, sleep(1000)]);
      expect(host.exitCode).toBeNull();
      expect(host.signalCode).toBeNull();
      expect(alive(host.pid!)).toBe(true);
    } finally {
      host.kill("SIGKILL");
    }
  });
});

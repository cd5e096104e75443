/**
 * Lifecycle on real containers: states, capacity, timers, exec results, terminals, and that nothing
 * (process, mount, cgroup, dir, runc state) survives destroy, 100 cycles, or a SIGKILLed runner.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunnerFault, SandboxManager, type DestroyedEvent, type SandboxImage } from "./manager";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";
import { leftovers, NOTHING_LEFT, sandboxProcesses } from "../../test/leftovers";

const cfg = testConfig();
let image: SandboxImage;
let m: SandboxManager;

beforeAll(async () => {
  image = await testImage(cfg);
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
});
afterAll(async () => {
  await m?.shutdown();
});

// Generous: on a loaded machine the last processes of a destroyed sandbox can take seconds to go.
async function eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("states and destroy", () => {
  it("create → running, destroy → gone, destroy again is a no-op, exec after destroy is a clear error", async () => {
    const events: DestroyedEvent[] = [];
    m.on("destroyed", (e: DestroyedEvent) => events.push(e));
    const s = await m.create("alice");
    expect(s).toMatchObject({ owner: "alice", state: "running", hostname: `sandbox-${s.id.slice(0, 8)}` });
    expect(m.list().map((x) => x.id)).toContain(s.id);
    await m.destroy(s.id);
    await m.destroy(s.id);
    expect(m.get(s.id)).toBeUndefined();
    expect(events).toEqual([{ id: s.id, owner: "alice", reason: "requested" }]);
    await expect(m.exec(s.id, "true")).rejects.toMatchObject({ code: "not-found" });
    expect(await leftovers(cfg)).toEqual(NOTHING_LEFT);
  });

  it("refuses at init a DATA_DIR too long for the terminals' unix sockets, saying what to do", async () => {
    const long = new SandboxManager(testConfig({ DATA_DIR: "/tmp/" + "d".repeat(80) }), image, testLogger());
    await expect(long.init()).rejects.toThrow(/DATA_DIR is too long.*Choose a shorter DATA_DIR/);
  });

  it("100 create/destroy cycles leave no process, mount, cgroup, dir or runc state behind", async () => {
    // Leftovers, not speed, are this test's subject: the time per cycle is `npm run bench`'s.
    for (let i = 0; i < 100; i++) {
      const s = await m.create(`cycle-${i}`);
      if (i % 25 === 0) expect((await m.exec(s.id, "echo up")).output).toBe("up\n");
      await m.destroy(s.id);
    }
    expect(
      await eventually(
        () => leftovers(cfg),
        (l) => l.processes.length === 0,
      ),
    ).toEqual(NOTHING_LEFT);
  });

  it("survives the learner killing everything (pkill, kill 1, kill -9 -1) and reaps orphans", async () => {
    const s = await m.create("killer");
    await m.exec(s.id, "pkill sleep; kill 1; kill -9 1; kill -9 -1; (sleep 0.1 &); sleep 0.4");
    const r = await m.exec(s.id, "echo alive; ps -eo stat= | grep -c '^Z' || true");
    expect(r.output).toBe("alive\n0\n");
    expect(m.get(s.id)?.state).toBe("running");
    await m.destroy(s.id);
  });
});

describe("capacity and timers", () => {
  it("answers 'busy, try again' at capacity and accepts again after a destroy", async () => {
    const small = new SandboxManager(testConfig({ SANDBOX_CAPACITY: "2" }), image, testLogger());
    await small.init();
    const a = await small.create("a");
    await small.create("b");
    const err = await small.create("c").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunnerFault);
    expect(err).toMatchObject({ code: "busy" });
    expect((err as Error).message).toBe("Sandbox capacity reached (2 running): try again in a minute");
    await small.destroy(a.id);
    await small.create("c");
    await small.shutdown();
    expect(small.list()).toEqual([]);
  });

  // Timers are told apart by order and by the reason a sandbox ends with, never by how long things
  // took (creating a sandbox takes seconds on a loaded machine). Touches come every 200 ms against a
  // 600 ms idle timer: a timer 200 ms on always fires before one 600 ms on, however late the loop runs.
  it("destroys an idle sandbox and keeps a touched one", async () => {
    const timed = new SandboxManager(cfg, image, testLogger(), { idleTimeoutMs: 600, maxLifetimeMs: 3_600_000 });
    await timed.init();
    const events: DestroyedEvent[] = [];
    let busyWhenIdleEnded: string | undefined;
    // "busy" starts first: untouched, its idle timer would come due before that of "idle", started
    // after it with the same 600 ms. So "busy" still running when "idle" ends shows the touches kept it.
    const busy = await timed.create("busy");
    const keep = setInterval(() => timed.touch(busy.id), 200);
    timed.on("destroyed", (e: DestroyedEvent) => {
      events.push(e);
      if (e.owner === "idle") busyWhenIdleEnded = timed.get(busy.id)?.state ?? "gone";
    });
    try {
      const idle = await timed.create("idle");
      await eventually(
        async () => events.length,
        (n) => n >= 1,
        60_000,
      );
      expect(events).toEqual([{ id: idle.id, owner: "idle", reason: "idle" }]);
      expect(busyWhenIdleEnded).toBe("running");
      // No longer touched, it ends for idleness too.
      clearInterval(keep);
      await eventually(
        async () => events.length,
        (n) => n >= 2,
        60_000,
      );
      expect(events[1]).toEqual({ id: busy.id, owner: "busy", reason: "idle" });
    } finally {
      clearInterval(keep);
      await timed.shutdown();
    }
  });

  it("ends a sandbox at its maximum lifetime, however often it is touched", async () => {
    // Touched, it is never idle: it must end "expired" (1500 ms), not "idle" (600 ms).
    const timed = new SandboxManager(cfg, image, testLogger(), { idleTimeoutMs: 600, maxLifetimeMs: 1500 });
    await timed.init();
    const events: DestroyedEvent[] = [];
    timed.on("destroyed", (e: DestroyedEvent) => events.push(e));
    const busy = await timed.create("busy");
    const keep = setInterval(() => timed.touch(busy.id), 200);
    try {
      await eventually(
        async () => events.length,
        (n) => n >= 1,
        60_000,
      );
      expect(events).toEqual([{ id: busy.id, owner: "busy", reason: "expired" }]);
    } finally {
      clearInterval(keep);
      await timed.shutdown();
    }
  });
});

describe("exec (Checks)", () => {
  it("returns exit code, interleaved output, duration; passes stdin", async () => {
    const s = await m.create("exec");
    const r = await m.exec(s.id, "echo one; echo two >&2; echo three; read x; echo got=$x; exit 7", { stdin: "hello\n" });
    expect(r).toMatchObject({ exitCode: 7, output: "one\ntwo\nthree\ngot=hello\n", timedOut: false, truncated: false });
    expect(r.durationMs).toBeGreaterThan(0);
    const times: number[] = [];
    for (let i = 0; i < 10; i++) times.push((await m.exec(s.id, "true")).durationMs);
    console.info(`exec latency: median ${times.sort((a, b) => a - b)[5]} ms`);
    await m.destroy(s.id);
  });

  it("kills the script and everything it started on timeout", async () => {
    const s = await m.create("timeout");
    const r = await m.exec(s.id, "sleep 301 & sleep 302 & echo started; sleep 303", { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.output).toBe("started\n");
    expect(r.durationMs).toBeLessThan(300_000); // returned long before the script would have ended
    const ps = await m.exec(s.id, "ps -eo args= | grep -c '^sleep 30[123]' || true");
    expect(ps.output.trim()).toBe("0");
    await m.destroy(s.id);
  });

  it("returns when the script ends even if it left a background process holding the output", async () => {
    const s = await m.create("daemon");
    const r = await m.exec(s.id, "sleep 60 & echo launched", { timeoutMs: 5000 });
    expect(r).toMatchObject({ exitCode: 0, output: "launched\n", timedOut: false });
    expect(r.durationMs).toBeLessThan(60_000); // did not wait for the background sleep
    expect((await m.exec(s.id, "pgrep -c -x sleep")).output.trim()).toBe("2"); // init's sleep and the background one
    await m.destroy(s.id);
  });

  it("caps the output and says so", async () => {
    const s = await m.create("flood");
    const r = await m.exec(s.id, "head -c 100000 /dev/zero | tr '\\0' a; echo; echo end", { maxOutputBytes: 1000 });
    expect(r.truncated).toBe(true);
    expect(r.output).toBe("a".repeat(1000));
    // Past the cap the script is stopped: it may have ended on its own first (0) or been killed (137).
    expect([0, 137]).toContain(r.exitCode);
    await m.destroy(s.id);
  });
});

describe("terminal", () => {
  it("runs a login shell on a PTY of the sandbox's own devpts, whose size follows resize()", async () => {
    const s = await m.create("term");
    const term = await m.spawnTerminal(s.id, { cols: 80, rows: 24 });
    let out = "";
    term.onData((d) => (out += d));
    const waitFor = (re: RegExp) =>
      eventually(
        async () => out,
        (o) => re.test(o),
        5000,
      );
    // The shell started with the container: a terminal of the container's devpts, with job control.
    term.write("tty; ps -o tty= -p $$; echo MARK0\r");
    expect(await waitFor(/\/dev\/pts\/\d+\s+pts\/\d+\s+MARK0/)).toMatch(/\/dev\/pts\/0\s+pts\/0/);
    term.write("stty size; echo MARK1\r");
    expect(await waitFor(/24 80\s+MARK1/)).toMatch(/24 80\s+MARK1/);
    term.resize(100, 30);
    await new Promise((r) => setTimeout(r, 100));
    term.write("stty size; echo MARK2\r");
    expect(await waitFor(/30 100\s+MARK2/)).toMatch(/30 100\s+MARK2/);
    term.write("hostname; echo $TERM\r");
    expect(await waitFor(/xterm-256color/)).toContain(s.hostname);
    const exited = new Promise<number>((r) => term.onExit((e) => r(e.exitCode)));
    term.write("exit 3\r");
    expect(await exited).toBe(3);

    // A second terminal comes from `runc exec`; it ends when its shell does, even with a background
    // job still holding the PTY, and reports the shell's status.
    const second = await m.spawnTerminal(s.id, { cols: 80, rows: 24 });
    let out2 = "";
    second.onData((d) => (out2 += d));
    await eventually(
      async () => out2,
      (o) => o.includes("\x1b]133;A"),
      5000,
    );
    const ended = new Promise<number>((r) => second.onExit((e) => r(e.exitCode)));
    second.write("sleep 300 & exit 5\r");
    expect(await ended).toBe(5);
    // Hanging up a terminal (kill) ends its shell inside the sandbox, as closing a terminal window does.
    const third = await m.spawnTerminal(s.id, { cols: 80, rows: 24 });
    third.write("exec -a hangup-probe bash --norc\r");
    await eventually(
      async () => (await m.exec(s.id, "pgrep -f hangup-prob[e] || true")).output,
      (o) => o.trim() !== "",
      5000,
    );
    third.kill();
    expect(
      await eventually(
        async () => (await m.exec(s.id, "pgrep -f hangup-prob[e] || echo none")).output.trim(),
        (o) => o === "none",
        5000,
      ),
    ).toBe("none");
    await m.destroy(s.id);
  });
});

describe("crash recovery", () => {
  it("a runner killed with SIGKILL leaves nothing after the next init()", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "sandbox-runner/test/crash-child.ts"), "3"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: process.env,
    });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = "";
      child.stdout.on("data", (d: Buffer) => {
        buf += d.toString();
        if (buf.includes("\n")) resolve(buf.split("\n")[0]!);
      });
      child.on("exit", (c) => reject(new Error(`crash child exited early (${c})`)));
    });
    const { ids } = JSON.parse(line) as { ids: string[] };
    expect(ids).toHaveLength(3);
    const before = await leftovers(cfg);
    expect(before.containers.sort()).toEqual([...ids].sort());
    expect(before.processes.length).toBeGreaterThanOrEqual(6); // init + sleep per sandbox, plus the exec and shells
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));

    const next = new SandboxManager(cfg, image, testLogger());
    await next.init();
    expect(
      await eventually(
        () => leftovers(cfg),
        (l) => l.processes.length === 0,
      ),
    ).toEqual(NOTHING_LEFT);
    expect(await sandboxProcesses(cfg)).toEqual([]);
    await next.shutdown();
  });
});

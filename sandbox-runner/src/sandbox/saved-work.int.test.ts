/**
 * Work that survives (issue 13): a learner's writable layer is saved when their sandbox ends (idle,
 * runner restart, runner crash) and comes back in their next sandbox; reset empties it; nobody else
 * sees it; caps and quota hold and say so; a hostile saved layer is refused. Real runc containers.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type DestroyedEvent, type SandboxImage, type SandboxInfo } from "./manager";
import { ownerKey } from "./saved-work";
import { writeTar, type TarEntry } from "../image/tar-format";
import { snapshotPaths } from "../container/mounts";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";
import { tarEntry } from "../../test/tar-entry";

const cfg = testConfig({ SAVED_WORK_MAX_MB_PER_LEARNER: "2", SAVED_WORK_MAX_MB: "3", SAVED_WORK_RETENTION_DAYS: "1" });
const savedDir = path.join(cfg.runnerDir, "saved-work");
const run = randomBytes(3).toString("hex");
const owner = (name: string) => `${name}-${run}`;
let image: SandboxImage;
let m: SandboxManager;

beforeAll(async () => {
  image = await testImage(cfg);
  rmSync(savedDir, { recursive: true, force: true });
});
afterAll(async () => {
  await m?.shutdown();
});

async function start(opts: { idleTimeoutMs?: number; poolSize?: number } = {}): Promise<SandboxManager> {
  await m?.shutdown();
  const c = opts.poolSize ? { ...cfg, SANDBOX_POOL_SIZE: opts.poolSize } : cfg;
  m = new SandboxManager(c, image, testLogger(), opts);
  await m.init();
  return m;
}
const sh = async (sb: SandboxInfo, script: string) => (await m.exec(sb.id, script, { timeoutMs: 60_000 })).output;

/** What a learner leaves behind: files, a deleted image file, an opaque dir, links, modes, owners. */
const WORK = [
  "echo 'my notes' > /root/notes.txt",
  "mkdir -p /root/proj && echo 'x' > /root/proj/a && ln /root/proj/a /root/proj/hard && ln -s /etc/hostname /root/proj/link",
  "rm /etc/motd",
  "rm -rf /etc/skel && mkdir /etc/skel && echo only > /etc/skel/only",
  "cp /bin/true /root/suid && chmod 4755 /root/suid && chown 1000:1000 /root/proj/a",
  "ln -s / /root/up && mkfifo /root/fifo",
].join(" && ");
const CHECK =
  "cat /root/notes.txt /root/proj/hard; readlink /root/proj/link /root/up; test -e /etc/motd && echo motd-back; ls /etc/skel; " +
  "stat -c '%a %u:%g' /root/suid /root/proj/a; test -p /root/fifo && echo fifo; stat -c %h /root/proj/a";
const CHECK_OUT = "my notes\nx\n/etc/hostname\n/\nonly\n4755 0:0\n644 1000:1000\nfifo\n2\n";

describe("saved when the sandbox goes idle", () => {
  it("files written come back in the owner's next sandbox, with the date; another owner never sees them", async () => {
    await start({ idleTimeoutMs: 5000 });
    const before = Date.now();
    const sb = await m.create(owner("ana"));
    expect(sb.restoredFrom).toBeUndefined();
    expect(await sh(sb, `${WORK} && echo done`)).toBe("done\n");
    const idle = await new Promise<DestroyedEvent>((resolve) => m.on("destroyed", (e: DestroyedEvent) => e.id === sb.id && resolve(e)));
    expect(idle.reason).toBe("idle");

    const next = await m.create(owner("ana"));
    expect(Date.parse(next.restoredFrom ?? "")).toBeGreaterThanOrEqual(before - 1000);
    expect(next.notKept).toBeUndefined();
    expect(await sh(next, CHECK)).toBe(CHECK_OUT);
    // On the host the restored files are owned inside the sandbox's uid range, never by host root.
    const upper = snapshotPaths(path.join(cfg.runnerDir, "sandboxes", next.id)).upper;
    expect(statSync(path.join(upper, "root/proj/a")).uid).toBe(cfg.SANDBOX_UID_BASE + 1000);
    expect(statSync(path.join(upper, "root/notes.txt")).uid).toBe(cfg.SANDBOX_UID_BASE);

    const other = await m.create(owner("bruno"));
    expect(other.restoredFrom).toBeUndefined();
    expect(await sh(other, "cat /root/notes.txt 2>&1; test -e /etc/motd && echo motd")).toMatch(/No such file[\s\S]*motd\n$/);
  }, 180_000);
});

describe("saved at a runner restart and after a crash; reset empties", () => {
  it("a runner shutdown saves, the next runner restores", async () => {
    await start();
    const sb = await m.create(owner("carla"));
    await sh(sb, "echo 'before the restart' > /root/r.txt");
    await start(); // shutdown + a new runner
    const next = await m.create(owner("carla"));
    expect(next.restoredFrom).toBeDefined();
    expect(await sh(next, "cat /root/r.txt")).toBe("before the restart\n");
  });

  it("reset (destroy on request) discards the saved work: the next sandbox is empty", async () => {
    const sb = m.list().find((s) => s.owner === owner("carla"))!;
    expect(existsSync(path.join(savedDir, ownerKey(owner("carla"))))).toBe(true);
    await m.destroy(sb.id);
    expect(existsSync(path.join(savedDir, ownerKey(owner("carla"))))).toBe(false);
    const next = await m.create(owner("carla"));
    expect(next.restoredFrom).toBeUndefined();
    expect(await sh(next, "cat /root/r.txt 2>&1 || true")).toMatch(/No such file/);
  });

  it("ending a sandbox with keepFiles (DELETE ?keep=files) saves like a timeout", async () => {
    const sb = m.list().find((s) => s.owner === owner("carla"))!;
    await sh(sb, "echo 'ended, kept' > /root/k.txt");
    await m.destroy(sb.id, { keepFiles: true });
    const next = await m.create(owner("carla"));
    expect(next.restoredFrom).toBeDefined();
    expect(await sh(next, "cat /root/k.txt")).toBe("ended, kept\n");
  });

  it("a runner killed with SIGKILL: the next runner's init saves the still-mounted writable layer", async () => {
    await m.shutdown();
    const who = owner("dora");
    const child = spawn(process.execPath, ["--import", "tsx", path.join(process.cwd(), "sandbox-runner/test/crash-child.ts"), "2"], {
      stdio: ["ignore", "pipe", "inherit"],
      env: { ...process.env, CRASH_CHILD_SAVE_AS: who },
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (d: Buffer) => d.toString().includes("\n") && resolve());
      child.on("exit", (c) => reject(new Error(`crash child exited early (${c})`)));
    });
    child.kill("SIGKILL");
    await new Promise((r) => child.on("exit", r));
    await start();
    const next = await m.create(who);
    expect(next.restoredFrom).toBeDefined();
    expect(await sh(next, "cat /root/crash.txt")).toBe("from before the crash\n");
  });
});

describe("with a warm pool", () => {
  it("a learner with saved work gets a cold sandbox with their files; the pool's warm one waits for the next", async () => {
    const who = owner("hana");
    await start({ poolSize: 1 });
    const sb = await m.create(who);
    await sh(sb, "echo 'pooled or not' > /root/p.txt");
    await start({ poolSize: 1 });
    // Let the pool fill, so a create without saved work would take the warm one.
    for (let i = 0; i < 200 && readdirSync(path.join(cfg.runnerDir, "sandboxes")).length < 1; i++)
      await new Promise((r) => setTimeout(r, 50));
    const warm = readdirSync(path.join(cfg.runnerDir, "sandboxes"));
    const next = await m.create(who);
    expect(next.restoredFrom).toBeDefined();
    expect(warm).not.toContain(next.id);
    expect(await sh(next, "cat /root/p.txt")).toBe("pooled or not\n");
  });

  it("a sandbox asked for while the owner's last one is still ending starts with its files (a page reconnects at once)", async () => {
    const who = owner("ivo");
    await start({ poolSize: 1 });
    const sb = await m.create(who);
    await sh(sb, "echo 'saved while ending' > /root/e.txt");
    // A warm one waits: without the saved work in sight, the next create would take it, empty.
    for (let i = 0; i < 200 && readdirSync(path.join(cfg.runnerDir, "sandboxes")).length < 2; i++)
      await new Promise((r) => setTimeout(r, 50));
    const warm = readdirSync(path.join(cfg.runnerDir, "sandboxes")).filter((id) => id !== sb.id);
    expect(warm).toHaveLength(1);
    // The sandbox ends (idle) and, before its files are saved, the learner's page asks for a new one.
    const ending = m.destroy(sb.id, { keepFiles: true });
    const next = await m.create(who);
    await ending;
    expect(next.restoredFrom).toBeDefined();
    expect(warm).not.toContain(next.id);
    expect(await sh(next, "cat /root/e.txt")).toBe("saved while ending\n");
  });
});

describe("caps and quota", () => {
  it("past the per-learner cap the files are not kept and the learner is told why; an older save stays", async () => {
    await start();
    const who = owner("eva");
    const sb = await m.create(who);
    await sh(sb, "echo small > /root/small.txt");
    await start();
    const second = await m.create(who);
    expect(await sh(second, "cat /root/small.txt && head -c 3M /dev/urandom > /root/big.bin && echo ok")).toBe("small\nok\n");
    await start();
    const third = await m.create(who);
    expect(third.notKept).toMatchObject({ reason: "too-big", limitMb: 2 });
    // The earlier save (before big.bin) came back: nothing saved is lost.
    expect(third.restoredFrom).toBeDefined();
    expect(await sh(third, "cat /root/small.txt; test -e /root/big.bin || echo no-big")).toBe("small\nno-big\n");
    // Told once.
    await sh(third, "rm /root/small.txt");
    await start();
    const fourth = await m.create(who);
    expect(fourth.notKept).toBeUndefined();
  });

  it("past the quota of all saved work the files are not kept, with the reason", async () => {
    rmSync(savedDir, { recursive: true, force: true });
    await start();
    const [a, b] = [owner("fred"), owner("gabi")];
    const sa = await m.create(a);
    const sbx = await m.create(b);
    await sh(sa, "head -c 1900K /dev/urandom > /root/a.bin");
    await sh(sbx, "head -c 1900K /dev/urandom > /root/b.bin");
    await start(); // both saved at shutdown: ~1.9 MiB each, 3 MiB quota: one of them does not fit
    const [na, nb] = [await m.create(a), await m.create(b)];
    const told = [na, nb].filter((s) => s.notKept?.reason === "quota");
    const kept = [na, nb].filter((s) => s.restoredFrom);
    expect(told).toHaveLength(1);
    expect(kept).toHaveLength(1);
    const total = readdirSync(savedDir)
      .map((k) => path.join(savedDir, k, "layer.tar.gz"))
      .filter(existsSync)
      .reduce((n, f) => n + statSync(f).size, 0);
    expect(total).toBeLessThanOrEqual(3 * 1024 * 1024);
  });
});

describe("a hostile saved layer", () => {
  const base = tarEntry("");
  /** Puts a tarball in place of `who`'s saved work, as if they had made it. */
  function plant(who: string, entries: { entry: TarEntry; data?: Buffer }[]): void {
    const dir = path.join(savedDir, ownerKey(who));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "layer.tar.gz"), gzipSync(writeTar(entries)));
    writeFileSync(path.join(dir, "layer.json"), JSON.stringify({ savedAt: new Date().toISOString() }));
  }
  const hostDir = `/tmp/persist-host-${run}`;

  beforeAll(async () => {
    mkdirSync(hostDir, { recursive: true });
    await start();
  });
  afterAll(() => rmSync(hostDir, { recursive: true, force: true }));

  it.each([
    [
      "a file through a symlink to a host dir",
      [
        { entry: { ...base, path: "root/out", type: "symlink" as const, linkpath: hostDir } },
        { entry: { ...base, path: "root/out/pwned", size: 3 }, data: Buffer.from("pwn") },
      ],
    ],
    [
      "a hard link to a host file",
      [{ entry: { ...base, path: "root/shadow", type: "hardlink" as const, linkpath: "../../../../etc/shadow" } }],
    ],
    ["a device node", [{ entry: { ...base, path: "root/kmem", type: "char" as const, devmajor: 1, devminor: 2 } }]],
    [
      "an overlay redirect xattr",
      [{ entry: { ...base, path: "etc/", type: "dir" as const, mode: 0o755, pax: { "SCHILY.xattr.trusted.overlay.redirect": "/" } } }],
    ],
    ["an id outside the sandbox's range", [{ entry: { ...base, path: "root/x", uid: 70000 } }]],
  ])("refuses %s: the sandbox starts empty, the learner is told, the host is untouched", async (_what, entries) => {
    const who = owner(`mallory-${randomBytes(2).toString("hex")}`);
    plant(who, [{ entry: { ...base, path: "root/before", size: 2 }, data: Buffer.from("hi") }, ...entries]);
    const sb = await m.create(who);
    expect(sb.restoredFrom).toBeUndefined();
    expect(sb.notKept).toMatchObject({ reason: "failed" });
    expect(await sh(sb, "ls /root/before /root/out /root/kmem /root/shadow /root/x 2>&1 | grep -c 'No such' ")).toBe("5\n");
    expect(readdirSync(hostDir)).toEqual([]);
    expect(existsSync(path.join(savedDir, ownerKey(who)))).toBe(false);
  });

  it("refuses a tar bomb before it fills anything: 64 MiB of zeros for a 16 MiB writable layer", async () => {
    const who = owner("bomb");
    plant(who, [{ entry: { ...base, path: "root/zeros", size: 64 * 1024 * 1024 }, data: Buffer.alloc(64 * 1024 * 1024) }]);
    expect(statSync(path.join(savedDir, ownerKey(who), "layer.tar.gz")).size).toBeLessThan(1024 * 1024);
    const sb = await m.create(who);
    expect(sb.notKept).toMatchObject({ reason: "failed" });
    expect(await sh(sb, "test -e /root/zeros || echo none; df -k / | tail -1 | awk '{print ($3 < 1024) ? \"empty\" : $3}'")).toBe(
      "none\nempty\n",
    );
  });
});

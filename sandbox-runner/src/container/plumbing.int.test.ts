/**
 * What a learner sees of the sandbox's own machinery when the lessons tell them to look (lesson 3's
 * `ps -ef --forest`, lesson 6's `findmnt /`): a clean PID 1 and no host path of the runner's.
 */
import { realpathSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type SandboxImage, type SandboxInfo } from "../sandbox/manager";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig();
let m: SandboxManager;
let image: SandboxImage;
let withShell: SandboxInfo;
let scriptsOnly: SandboxInfo;

beforeAll(async () => {
  image = await testImage(cfg);
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
  withShell = await m.create("plumbing");
  scriptsOnly = await m.create("plumbing-exec", { shell: false });
});
afterAll(async () => {
  await m?.shutdown();
});

/** Every host path a mount could leak: the data dir, the image layout, the Snapshots (real paths too). */
function hostPaths(): string[] {
  const dirs = [cfg.DATA_DIR, cfg.runnerDir, image.layoutDir, ...image.layers.map((l) => l.snapshotDir)];
  const real = dirs.map((d) => {
    try {
      return realpathSync(d);
    } catch {
      return d;
    }
  });
  return [...new Set([...dirs, ...real])];
}

describe("PID 1", () => {
  for (const which of ["with the first shell", "without a shell"] as const) {
    it(`is a clean init, not the runner's shell plumbing (${which})`, async () => {
      const sb = which === "with the first shell" ? withShell : scriptsOnly;
      const r = await m.exec(sb.id, "tr '\\0' ' ' < /proc/1/cmdline; echo; ps -o args= -p 1");
      expect(r.exitCode).toBe(0);
      const [cmdline, psArgs] = r.output.split("\n");
      expect(cmdline?.trim()).toBe("init");
      expect(psArgs?.trim()).toBe("init");
      expect(r.output).not.toMatch(/6973|\\033|exec 3<&0|trap|sh -c/);
    });
  }

  it("still reaps orphans and survives the learner's kill -9 -1, and the first shell still works", async () => {
    await m.exec(withShell.id, "pkill sleep; kill 1; kill -9 1; kill -9 -1; (sleep 0.1 &); sleep 0.4");
    const r = await m.exec(withShell.id, "echo alive; ps -eo stat= | grep -c '^Z' || true; tr '\\0' ' ' < /proc/1/cmdline");
    expect(r.output).toBe("alive\n0\ninit ");
    const pty = await m.spawnTerminal(withShell.id, { cols: 80, rows: 24 });
    let out = "";
    pty.onData((d) => (out += d));
    pty.write("echo TERM-$((40+2))\r");
    for (let i = 0; i < 600 && !out.includes("TERM-42"); i++) await new Promise((res) => setTimeout(res, 50));
    expect(out).toContain("TERM-42");
    pty.kill();
  });
});

describe("mounts", () => {
  it("findmnt / and /proc/self/mountinfo show no host path of the runner", async () => {
    const r = await m.exec(withShell.id, "findmnt -n /; echo ---; cat /proc/self/mountinfo");
    expect(r.exitCode).toBe(0);
    // Still an overlay with its layers, as lesson 6 teaches.
    expect(r.output).toMatch(/^\/\s+overlay\s+overlay\s+\S*lowerdir=/);
    for (const p of hostPaths()) expect(r.output, `leaks ${p}`).not.toContain(p);
    expect(r.output).not.toMatch(/snapshots|sandboxes|\.data/);
    if (image.layoutDir.endsWith("no-oci-layout")) return; // H2_DEV_ROOTFS: no layout to mount
    // The image layout is still at /oci, read-only, now from a mount that names no host dir.
    const oci = await m.exec(withShell.id, "test -f /oci/index.json && echo layout; touch /oci/x 2>&1 || echo refused");
    expect(oci.output).toMatch(/^layout\n[\s\S]*refused\n$/);
  });
});

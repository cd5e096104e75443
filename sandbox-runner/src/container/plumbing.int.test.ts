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

beforeAll(async () => {
  image = await testImage(cfg);
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
  withShell = await m.create("plumbing");
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

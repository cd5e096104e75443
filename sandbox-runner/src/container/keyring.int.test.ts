/**
 * Kernel keys are counted per host uid, and every sandbox's root is the same host uid: a container
 * (or exec) that made its own session keyring would use up the 200-key quota after ~200 sandboxes,
 * and every later exec would fail. runc runs with --no-new-keyring; this proves no key is spent.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SandboxManager } from "../sandbox/manager";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig();
let m: SandboxManager;

/** Keys held by a host uid, from /proc/key-users ("uid: usage nkeys/nikeys qnkeys/maxkeys …"). */
function keysOf(uid: number): number {
  const line = readFileSync("/proc/key-users", "utf8")
    .split("\n")
    .find((l) => l.trim().startsWith(`${uid}:`));
  return line ? Number(line.split(/\s+/).filter(Boolean)[2]?.split("/")[0]) : 0;
}

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(cfg), testLogger());
  await m.init();
});
afterAll(() => m?.shutdown());

it("sandboxes and their execs take no kernel keys from the shared sandbox uid", async () => {
  const before = keysOf(cfg.SANDBOX_UID_BASE);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) ids.push((await m.create(`keys-${i}`)).id);
  for (const id of ids) expect((await m.exec(id, "echo ok")).output).toBe("ok\n");
  // Five containers with keyrings of their own would add five keys at least (other test runs may move the count by one or two).
  expect(keysOf(cfg.SANDBOX_UID_BASE)).toBeLessThan(before + 5);
  for (const id of ids) await m.destroy(id);
});

/**
 * The warm pool on real containers: prepared sandboxes are handed out at once with a login shell
 * already waiting, the pool refills, stays within capacity, and shutdown leaves nothing behind.
 */
import path from "node:path";
import pino from "pino";
import { Runc } from "../container/runc";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager } from "./manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";
import type { SandboxImage } from "./manager";

const cfg = testConfig({ DATA_DIR: TEST_DATA_DIR + "-pool", SANDBOX_POOL_SIZE: "1", SANDBOX_CAPACITY: "2" });
let image: SandboxImage;
let m: SandboxManager;
const runc = new Runc(cfg.RUNC_BINARY, path.join(cfg.runnerDir, "runc"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await sleep(25);
  }
}

beforeAll(async () => {
  image = await testImage(testConfig());
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
});
afterAll(async () => {
  await m?.shutdown();
});

describe("warm pool", () => {
  it("hands out a prepared sandbox whose first terminal is already at its prompt, refills, respects capacity", async () => {
    // The pool's sandbox is not anybody's: it is not listed.
    await sleep(1500);
    expect(m.list()).toEqual([]);
    const waiting = await runc.list();
    expect(waiting.map((c) => c.status)).toEqual(["running"]);
    const a = await m.create("alice");
    // The pool's container, started before anyone asked: no container start on this path (about 1 ms).
    expect(a.id).toBe(waiting[0]!.id);
    expect(a.owner).toBe("alice");
    expect(m.get(a.id)?.state).toBe("running");

    const term = await m.spawnTerminal(a.id, { cols: 100, rows: 30 });
    let out = "";
    term.onData((d) => (out += d));
    await until(() => out.includes("\x1b]133;A"));
    term.write("stty size; echo POOL-$((40+2))\r");
    await until(() => /30 100\s+POOL-42/.test(out));
    const r = await m.exec(a.id, "hostname");
    expect(r.output.trim()).toBe(a.hostname);

    // Capacity 2: alice + one more; the pool does not push learners out.
    const b = await m.create("bob");
    await expect(m.create("carol")).rejects.toMatchObject({ code: "busy" });
    await m.destroy(b.id);
    await m.destroy(a.id);
    // The pool refilled after the handouts (one sandbox waiting, still unlisted).
    await sleep(1500);
    expect(m.list()).toEqual([]);
    expect((await runc.list()).length).toBe(1);
    const c = await m.create("carol");
    expect(c.owner).toBe("carol");
    await m.destroy(c.id);
  });

  it("shutdown stops the pool's sandboxes too", async () => {
    const other = new SandboxManager(testConfig({ DATA_DIR: TEST_DATA_DIR + "-pool2", SANDBOX_POOL_SIZE: "2" }), image, testLogger());
    await other.init();
    await sleep(1500);
    await other.shutdown();
    // A fresh manager on the same dir finds nothing to clean up.
    const warnings: string[] = [];
    const log = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
    const again = new SandboxManager(testConfig({ DATA_DIR: TEST_DATA_DIR + "-pool2" }), image, log);
    await again.init();
    expect(warnings.filter((w) => w.includes("left behind"))).toEqual([]);
    await again.shutdown();
  });
});

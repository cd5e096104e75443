/**
 * Limits hold on real containers (64 MiB memory, 64 processes, 16 MiB writable layer) and one
 * sandbox's abuse does not slow the runner or another sandbox down.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cgroupMountPoints, cgroupParentFor } from "../container/cgroups";
import { SandboxManager } from "./manager";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";
import { sandboxProcesses } from "../../test/leftovers";

const cfg = testConfig({ SANDBOX_MEMORY_MB: "64", SANDBOX_PIDS: "64", SANDBOX_DISK_MB: "16" });
let m: SandboxManager;

/** A cgroup file of the sandbox, in whichever hierarchy has it (v1 controller dir or v2 unified). */
function cgroupFile(id: string, file: string): string {
  for (const mp of cgroupMountPoints()) {
    try {
      return readFileSync(path.join(mp, cgroupParentFor(cfg.runnerDir), id, file), "utf8");
    } catch {
      /* not in this hierarchy */
    }
  }
  throw new Error(`cgroup file ${file} of ${id} not found`);
}

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(cfg), testLogger());
  await m.init();
});
afterAll(async () => {
  await m?.shutdown();
});

describe("limits", () => {
  it("a fork bomb stops at the process limit while another sandbox keeps answering", async () => {
    const [a, b] = await Promise.all([m.create("bomber"), m.create("bystander")]);
    // It never ends by itself: the timeout ends it, long after it hit the limit (waited for, not timed).
    const bomb = m.exec(a.id, "bomb() { bomb | bomb & }; bomb; sleep 30", { timeoutMs: 15_000 });
    const hitLimit = () => Number(/max (\d+)/.exec(cgroupFile(a.id, "pids.events"))?.[1]) > 0;
    for (let i = 0; i < 280 && !hitLimit(); i++) await new Promise((r) => setTimeout(r, 50));
    const pidsNow = Number(cgroupFile(a.id, "pids.current").trim());
    // Answering at all, while the bomb presses on the limit, is the point; how fast measures the machine.
    const other = await m.exec(b.id, "echo still-here; ps -e --no-headers | wc -l");
    const bombResult = await bomb;
    const events = cgroupFile(a.id, "pids.events");
    await m.destroy(a.id);

    expect(pidsNow).toBeLessThanOrEqual(64);
    expect(Number(/max (\d+)/.exec(events)?.[1])).toBeGreaterThan(0); // forks were refused at the limit
    expect(bombResult.timedOut).toBe(true);
    expect(other.exitCode).toBe(0);
    expect(other.output.split("\n")[0]).toBe("still-here");
    // the bomber is gone entirely, the bystander untouched
    expect(m.get(a.id)).toBeUndefined();
    expect((await m.exec(b.id, "echo ok")).output).toBe("ok\n");
    await m.destroy(b.id);
  });

  it("a memory hog is killed inside the sandbox, and the sandbox survives", async () => {
    const s = await m.create("hog");
    // tail buffers the whole (newline-free) stream in memory: it grows until the OOM killer takes it.
    const r = await m.exec(s.id, "head -c 300m /dev/zero | tail -n 1 >/dev/null; echo status=${PIPESTATUS[1]}", { timeoutMs: 20_000 });
    expect(r.output).toContain("status=137"); // SIGKILL from the OOM killer
    const oom =
      cgroupFile(s.id, "memory.oom_control").match(/oom_kill (\d+)/)?.[1] ?? cgroupFile(s.id, "memory.events").match(/oom_kill (\d+)/)?.[1];
    expect(Number(oom)).toBeGreaterThan(0);
    expect((await m.exec(s.id, "echo alive")).output).toBe("alive\n");
    await m.destroy(s.id);
  });

  it("filling the disk stops at the writable layer's cap, and space comes back after rm", async () => {
    const s = await m.create("filler");
    const r = await m.exec(
      s.id,
      "dd if=/dev/zero of=/root/big bs=1M count=100 2>&1 | grep -E 'No space|copied'; du -m /root/big | cut -f1",
      { timeoutMs: 20_000 },
    );
    expect(r.output).toMatch(/No space left on device/);
    const mb = Number(r.output.trim().split("\n").at(-1));
    expect(mb).toBeLessThanOrEqual(16);
    const again = await m.exec(s.id, "rm /root/big && dd if=/dev/zero of=/root/small bs=1M count=4 2>/dev/null && echo wrote");
    expect(again.output).toBe("wrote\n");
    await m.destroy(s.id);
    expect(await sandboxProcesses(cfg)).toEqual([]);
  });
});

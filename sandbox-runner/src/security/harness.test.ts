import { spawn } from "node:child_process";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { sleep, watchEventLoop } from "./harness";

/** Keeps the event loop busy until this process has burned `ms` of CPU time and `ms` have passed. */
function burnCpu(ms: number) {
  const start = process.cpuUsage();
  const t0 = performance.now();
  for (;;) {
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms && performance.now() - t0 >= ms) return;
  }
}

describe("watchEventLoop: stalls of the process's own making", () => {
  it("counts a synchronous stretch of work", async () => {
    const w = watchEventLoop();
    await sleep(50);
    burnCpu(200);
    await sleep(50);
    expect(w.stop().maxMs).toBeGreaterThanOrEqual(150);
  });

  it("does not count time the kernel did not run the process (a busy machine)", async () => {
    const raw = monitorEventLoopDelay({ resolution: 10 });
    raw.enable();
    const w = watchEventLoop();
    await sleep(50);
    // Stopped from outside for 400 ms: the loop is late by that much, having done nothing.
    const stopper = spawn("sh", ["-c", `kill -STOP ${process.pid}; sleep 0.4; kill -CONT ${process.pid}`]);
    await new Promise((r) => stopper.on("exit", r));
    await sleep(50);
    const stalls = w.stop();
    raw.disable();
    expect(raw.max / 1e6).toBeGreaterThanOrEqual(300); // it really was late
    expect(stalls.maxMs).toBeLessThan(100);
  });
});

/**
 * Check latency: a typical exercise Check ("kernel-do-host": read a file, compare with uname -r)
 * as the app runs it (POST /v1/sandboxes/:id/exec), against the floor: the same script through a
 * bare `runc exec` of the same sandbox (no HTTP, no Node in between). Rounds interleave.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { measured, side, type Figure } from "../lib/results";
import { REPO, type RunnerProcess } from "../lib/runner-process";

const EXERCISE = "content/lessons/01-o-que-e-docker/exercises/kernel-do-host";

function bareExec(r: RunnerProcess, id: string, script: string): Promise<{ ms: number; code: number | null; out: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn("runc", ["--root", path.join(r.runnerDir, "runc"), "exec", "--cwd", "/root", id, "/bin/bash", "-c", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    c.stdout.on("data", (b: Buffer) => (out += b));
    c.stderr.on("data", (b: Buffer) => (out += b));
    c.on("error", reject);
    c.on("close", (code) => resolve({ ms: performance.now() - t0, code, out }));
  });
}

export async function measureCheck(r: RunnerProcess, o: { rounds: number; log: (s: string) => void }): Promise<Record<string, Figure>> {
  const dir = path.join(REPO, EXERCISE);
  const [setup, solution, check] = await Promise.all(
    ["setup.sh", "solution.sh", "check.sh"].map((f) => readFile(path.join(dir, f), "utf8")),
  );
  const script = `export COURSE_LANG='en'\n${check}`;
  const sb = await r.client.createSandbox("bench-check");
  try {
    await r.client.exec(sb.id, setup!);
    await r.client.exec(sb.id, solution!);
    const first = await r.client.exec(sb.id, script!);
    if (first.exitCode !== 0) throw new Error(`the Check does not pass after the solution: ${first.output}`);
    const product: number[] = [];
    const floor: number[] = [];
    const server: number[] = [];
    const batch: number[] = [];
    const checks = [{ id: "kernel-do-host", script: script!, timeoutMs: 10_000 }];
    for (let i = 0; i < o.rounds; i++) {
      const p = async () => {
        const t0 = performance.now();
        const res = await r.client.exec(sb.id, script!);
        product.push(performance.now() - t0);
        server.push(res.durationMs);
        if (res.exitCode !== 0) throw new Error(`Check failed in round ${i}: ${res.output}`);
      };
      const f = async () => {
        const res = await bareExec(r, sb.id, script!);
        if (res.code !== 0) throw new Error(`bare runc exec of the Check failed: ${res.out}`);
        floor.push(res.ms);
      };
      const b = async () => {
        const t0 = performance.now();
        const res = await r.client.runChecks(sb.id, checks, { owner: "bench-check" });
        batch.push(performance.now() - t0);
        if (res.results[0]?.exitCode !== 0) throw new Error(`batched Check failed in round ${i}: ${JSON.stringify(res.results)}`);
      };
      const order = [
        [f, p, b],
        [p, b, f],
        [b, f, p],
      ][i % 3]!;
      for (const step of order) await step();
    }
    o.log(
      `check: product p50 ${product.sort((a, b) => a - b)[product.length >> 1]!.toFixed(1)} ms, floor ${floor.sort((a, b) => a - b)[floor.length >> 1]!.toFixed(1)} ms`,
    );
    const f = measured({
      title: "Check latency (kernel-do-host)",
      unit: "ms",
      better: "lower",
      product: side("runner: POST /v1/sandboxes/:id/exec", product, { runnerReportedMs: side("durationMs", server).stat }),
      baseline: side("bare runc exec of the same script", floor),
      goal: "p50 ≤ 100 ms",
    });
    f.met = f.product!.stat.p50 != null ? f.product!.stat.p50 <= 100 : null;
    const fb = measured({
      title: "Check latency through the batch (kernel-do-host)",
      unit: "ms",
      better: "lower",
      product: side("runner: POST /v1/sandboxes/:id/checks (what the app sends per trigger)", batch),
      baseline: side("bare runc exec of the same script", [...floor]),
      goal: "p50 ≤ 1.1× the bare runc exec",
    });
    fb.met = fb.ratio != null ? fb.ratio <= 1.1 : null;
    o.log(`check batch: p50 ${fb.product!.stat.p50} ms vs floor ${fb.baseline!.stat.p50} ms → ×${fb.ratio}`);
    return { checkLatency: f, checkBatchLatency: fb };
  } finally {
    await r.client.destroySandbox(sb.id);
  }
}

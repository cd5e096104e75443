/**
 * Most learners held (no drop, echo p99 < 50 ms, Check p99 < 300 ms: bench/load/ramp.ts), this
 * checkout against a baseline commit (default 04bbad3, main when issue 16 was filed, before the
 * Check batch, the Check agent and the demand-sized pool) measured back to back in the same run on the same machine. Both sides get the
 * app's real Check pattern: after every command, the Checks of every unfinished exercise of a lesson
 * (3 for 02-lxc-namespaces), sent as the app of each side sends them (one batch call; with
 * BENCH_LOAD_BASELINE_CHECKS=per-exercise, get + list terminals + one exec per Check, as before the
 * batch). The baseline's runner runs from a git worktree of that commit.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { lessonChecks, ramp } from "../load/ramp";
import { measured, side, type Figure } from "../lib/results";
import { REPO, startRunner } from "../lib/runner-process";

export interface LoadOptions {
  baselineCommit: string;
  /** How the baseline's app sends Checks: one batch call per command (main since the batch) or one exec each. */
  baselineChecks: "batch" | "per-exercise";
  steps: number[];
  stepSeconds: number;
  lesson: string;
  /** The simulated learners' nice value, the same for both sides (bench/load/ramp.ts). */
  clientNice: number;
  log: (s: string) => void;
}

/** A checkout of `commit` beside this one, with this one's node_modules hard-linked in. */
function baselineCheckout(commit: string, log: (s: string) => void): string {
  const dir = path.join(REPO, ".data", `bench-baseline-${commit}`);
  if (!existsSync(path.join(dir, "sandbox-runner/src/main.ts"))) {
    log(`load: checking out the baseline ${commit} into ${dir}`);
    execFileSync("git", ["-C", REPO, "worktree", "add", "--force", "--detach", dir, commit], { stdio: "ignore" });
  }
  if (!existsSync(path.join(dir, "node_modules")))
    execFileSync("cp", ["-al", path.join(REPO, "node_modules"), path.join(dir, "node_modules")]);
  return dir;
}

export async function measureLoad(o: LoadOptions): Promise<Record<string, Figure>> {
  const checks = await lessonChecks(o.lesson);
  const env = {
    SANDBOX_CAPACITY: String(Math.max(...o.steps) + 10),
    SANDBOX_POOL_SIZE: "0",
    TERMINALS_PER_SANDBOX: "4",
    LOG_LEVEL: "warn",
  };
  const sides: Record<"baseline" | "product", { held: number; load: number[]; steps: unknown[] }> = {} as never;
  for (const which of ["baseline", "product"] as const) {
    const repo = which === "baseline" ? baselineCheckout(o.baselineCommit, o.log) : REPO;
    // Each baseline commit its own directory: its runner may build its own Image there.
    const dataDir = path.join(REPO, which === "baseline" ? `.data/bench-load-baseline-${o.baselineCommit}` : ".data/bench-load-product");
    mkdirSync(dataDir, { recursive: true });
    if (which === "baseline" && !existsSync(path.join(dataDir, "runner/image")))
      o.log(
        `load: the baseline's runner builds its own Image first (a minute or two, once); progress in ${path.join(dataDir, "runner.log")}`,
      );
    const runner = await startRunner({ dataDir, repo, env });
    try {
      o.log(`load: ${which} (${which === "baseline" ? o.baselineCommit : "this checkout"}), ${checks.length} Checks per command`);
      const r = await ramp(runner, {
        steps: o.steps,
        stepSeconds: o.stepSeconds,
        maxSeconds: 1800,
        checks,
        checkPattern: which === "baseline" ? o.baselineChecks : "batch",
        clientNice: o.clientNice,
        log: (s) => o.log(`load ${which}: ${s}`),
      });
      sides[which] = { held: r.held, load: os.loadavg(), steps: r.steps };
    } finally {
      await runner.stop();
    }
  }
  const f = measured({
    title: `Most learners held (${checks.length} Checks per command)`,
    unit: "learners",
    better: "higher",
    product: side("this checkout: one batch call per command", [sides.product.held], {
      steps: sides.product.steps,
      loadavg: sides.product.load,
    }),
    baseline: side(
      `main at ${o.baselineCommit}: ${o.baselineChecks === "batch" ? "one batch call per command, one runc exec each" : "get + terminals + one exec per Check"}`,
      [sides.baseline.held],
      {
        steps: sides.baseline.steps,
        loadavg: sides.baseline.load,
      },
    ),
    goal: "≥ 3× the baseline and ≥ 30 learners",
    notes: `steps ${o.steps.join(",")}, ${o.stepSeconds} s each; holds = no drop, echo p99 < 50 ms, Check p99 < 300 ms; simulated learners at nice ${o.clientNice}`,
  });
  f.met = sides.product.held >= 30 && sides.product.held >= 3 * Math.max(1, sides.baseline.held);
  return { loadHeld: f };
}

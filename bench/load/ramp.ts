/**
 * The load ramp against one runner: N learners per step (see step.ts), up the steps until one does
 * not hold (a drop, a lost key or reconnect, a failed Check, echo p99 ≥ 50 ms or Check p99 ≥ 300 ms).
 * Shared by `bench/load/load.ts` and the held-learners figure of `npm run bench`.
 */
import { readFile, readdir } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { RunnerProcess } from "../lib/runner-process";
import { REPO } from "../lib/runner-process";
import type { LearnerOptions } from "./learner";
import { runStep, stepHolds, type StepResult } from "./step";

export interface RampOptions {
  steps: number[];
  stepSeconds: number;
  maxSeconds: number;
  checks?: LearnerOptions["checks"];
  checkPattern?: LearnerOptions["checkPattern"];
  /**
   * The simulated learners' CPU priority (nice, 0–19) while they run. They stand in for browsers on
   * other machines but share this machine's cores with the runner and its sandboxes; at a lower
   * priority they take what the server leaves instead of an equal share of it. Any wait for the CPU
   * they do meet still counts in every latency they measure (so this errs against the product).
   */
  clientNice?: number;
  log: (s: string) => void;
}

/** LOAD_CLIENT_NICE, checked: 0 (the default) to 19. */
export function clientNiceFromEnv(v = process.env.LOAD_CLIENT_NICE): number {
  if (v === undefined || v === "") return 0;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 19) throw new Error(`LOAD_CLIENT_NICE=${v} must be a whole number from 0 to 19 (a nice value)`);
  return n;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

export function formatStep(r: StepResult, ok: boolean): string {
  return (
    `N=${String(r.learners).padStart(3)}  ${ok ? "holds" : "FAILS"}  echo p50 ${r.echo.p50} p99 ${r.echo.p99} max ${r.echo.max} ms (${r.echo.n} keys, ${r.echoesMissing} missing)  ` +
    `check p50 ${r.check.p50} p99 ${r.check.p99} ms (${r.check.n}, ${r.checkFailures} failed; first p50 ${r.checkFirst.p50} max ${r.checkFirst.max}, later p99 ${r.checkLater.p99}${r.checkRunner.n > 0 ? `; at the runner p50 ${r.checkRunner.p50} p99 ${r.checkRunner.p99}, slowest inside p50 ${r.checkInside.p50} p99 ${r.checkInside.p99}` : ""})  reconnect p50 ${r.reconnect.p50} ms (${r.reconnectsRestored}/${r.reconnects} restored)  ` +
    `ready p50 ${r.ready.p50} p99 ${r.ready.p99} ms  dropped ${r.dropped}${r.droppedReasons.length ? " " + JSON.stringify(r.droppedReasons) : ""}  load ${r.loadAvg}  ` +
    `cpu busy ${Math.round(r.host.cpuBusy * 100)}%` +
    (r.host.share
      ? ` (simulator ${pct(r.host.share.simulator)}, runner ${pct(r.host.share.runner)}, sandboxes ${pct(r.host.share.sandboxes)})`
      : "") +
    `  throttled ${r.host.throttledPeriods}/${r.host.periods} periods ${r.host.throttledMs} ms` +
    (r.simulatorLoopDelay ? `  simulator loop delay p99 ${r.simulatorLoopDelay.p99} max ${r.simulatorLoopDelay.max} ms` : "") +
    (r.runner
      ? `  runner: echo relay p50 ${r.runner.relay.p50} p99 ${r.runner.relay.p99} ms (${r.runner.relay.n}), loop lag p99 ${r.runner.loopLag.p99} max ${r.runner.loopLag.max} ms, GC ${r.runner.gcMs} ms`
      : "")
  );
}

export async function ramp(runner: RunnerProcess, o: RampOptions): Promise<{ held: number; steps: StepResult[] }> {
  // This (main) thread only, and only after the runner was started: the runner keeps its priority,
  // and the next runner this process starts (the other side of the figure) gets it back too.
  const nice = os.getPriority();
  if (o.clientNice) os.setPriority(o.clientNice);
  try {
    return await rampSteps(runner, o);
  } finally {
    if (o.clientNice) os.setPriority(nice);
  }
}

async function rampSteps(runner: RunnerProcess, o: RampOptions): Promise<{ held: number; steps: StepResult[] }> {
  const started = Date.now();
  const steps: StepResult[] = [];
  let held = 0;
  for (const n of o.steps) {
    if ((Date.now() - started) / 1000 + o.stepSeconds + 30 > o.maxSeconds) {
      o.log(`stopping: ${o.maxSeconds} s would be exceeded`);
      break;
    }
    const r = await runStep({
      learners: n,
      durationMs: o.stepSeconds * 1000,
      runner: runner.client,
      runnerUrl: runner.url,
      wsUrl: runner.wsUrl,
      secret: runner.secret,
      runnerPid: runner.pid,
      checks: o.checks,
      checkPattern: o.checkPattern,
    });
    steps.push(r);
    const ok = stepHolds(r);
    o.log(formatStep(r, ok));
    if (!ok) break;
    held = n;
    await new Promise((res) => setTimeout(res, 3000)); // let sandboxes be torn down between steps
  }
  return { held, steps };
}

/** The Checks of a lesson's exercises (all unfinished in a fresh sandbox), as the app sends them. */
export async function lessonChecks(lesson: string, lang = "pt-BR"): Promise<NonNullable<LearnerOptions["checks"]>> {
  const dir = path.join(REPO, "content/lessons", lesson, "exercises");
  const names = (await readdir(dir)).sort();
  return Promise.all(
    names.map(async (id) => ({
      id,
      script: `export COURSE_LANG='${lang}'\n${await readFile(path.join(dir, id, "check.sh"), "utf8")}`,
      timeoutMs: 10_000,
    })),
  );
}

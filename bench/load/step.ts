/**
 * One load step: N learners at once for a while, against a runner, and what came of it.
 * Learners start staggered over `rampMs` (a class arriving, not one instant), and their echo
 * latencies are pooled.
 */
import { writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { RunnerClient } from "../../contract/runner-client";
import { sampleHost, type HostSummary } from "./host-sample";
import { simulateLearner, type LearnerOptions, type LearnerResult } from "./learner";
import { runnerSide, scrape, type RunnerSide } from "./runner-metrics";
import { assertLoopback, summarize, type Summary } from "./stats";

export interface StepOptions {
  learners: number;
  durationMs: number;
  rampMs?: number;
  runner: RunnerClient;
  runnerUrl: string;
  wsUrl: string;
  secret: string;
  /** The runner's process, to tell its CPU from the simulator's and the sandboxes'. */
  runnerPid?: number;
  /** What the page checks after every command, and how (see learner.ts). */
  checks?: LearnerOptions["checks"];
  checkPattern?: LearnerOptions["checkPattern"];
}

export interface StepResult {
  learners: number;
  durationMs: number;
  dropped: number;
  droppedReasons: string[];
  keysSent: number;
  echoesMissing: number;
  echo: Summary;
  check: Summary;
  /** The same Checks split: each learner's first (its sandbox's agent starts then) and the rest. */
  checkFirst: Summary;
  checkLater: Summary;
  /** Where a batch Check's time goes: the runner's own measure of the call, the slowest Check inside. */
  checkRunner: Summary;
  checkInside: Summary;
  checkFailures: number;
  reconnects: number;
  reconnectsRestored: number;
  reconnect: Summary;
  ready: Summary;
  /** 1-minute load average of the host at the end of the step (other work on the machine shows here). */
  loadAvg: number;
  /** CPU busy share over the step and the sandboxes' CPU throttling (host-sample.ts). */
  host: HostSummary;
  /**
   * How late the simulator's own event loop ran (ms): every latency it measures includes this wait,
   * which a real learner's browser (on its own machine) does not have.
   */
  simulatorLoopDelay: { p50: number; p99: number; max: number };
  /** What the runner saw (its /metrics): its share of the echo, its loop lag, its GC; absent if it has no relay metric (older runners). */
  runner?: RunnerSide;
}

export async function runStep(o: StepOptions): Promise<StepResult> {
  assertLoopback(o.runnerUrl);
  assertLoopback(o.wsUrl);
  const ramp = o.rampMs ?? Math.min(10_000, o.learners * 150);
  const until = Date.now() + ramp + o.durationMs;
  // Also starts a fresh window for the runner's event-loop lag (reset at every scrape).
  const metricsBefore = await scrape(o.runnerUrl).catch(() => null);
  const host = sampleHost(500, o.runnerPid);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const results: LearnerResult[] = await Promise.all(
    Array.from({ length: o.learners }, async (_, i) => {
      await new Promise((r) => setTimeout(r, Math.round((ramp * i) / o.learners)));
      return simulateLearner({
        index: i,
        runner: o.runner,
        wsUrl: o.wsUrl,
        secret: o.secret,
        until,
        checks: o.checks,
        checkPattern: o.checkPattern,
      });
    }),
  );
  const all = <K extends keyof LearnerResult>(k: K) => results.flatMap((r) => r[k] as unknown as number[]);
  const sum = (k: "keysSent" | "echoesMissing" | "checkFailures" | "reconnects" | "reconnectsRestored") =>
    results.reduce((a, r) => a + r[k], 0);
  const dropped = results.filter((r) => r.dropped);
  const hostSummary = await host.stop();
  const metricsAfter = await scrape(o.runnerUrl).catch(() => null);
  const runner =
    metricsBefore !== null && metricsAfter?.includes("runner_terminal_relay_seconds") ? runnerSide(metricsBefore, metricsAfter) : undefined;
  const traceDir = process.env.LOAD_TRACE_DIR;
  if (traceDir) {
    // Every Check and echo of the step, a line each (learner, then the entry), to see whether slow ones cluster in time.
    const write = (name: string, rows: (r: LearnerResult) => number[][]) =>
      writeFile(
        path.join(traceDir, `${name}-${o.learners}.txt`),
        results.flatMap((r) => rows(r).map((t) => [r.index, ...t].join(" "))).join("\n") + "\n",
      );
    await write("checks", (r) => r.checkTrace);
    await write("echoes", (r) => r.echoTrace);
  }
  const batch = results.flatMap((r) => r.checkTrace).filter(([, , runnerMs]) => runnerMs >= 0);
  loop.disable();
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  return {
    learners: o.learners,
    durationMs: o.durationMs,
    dropped: dropped.length,
    droppedReasons: [...new Set(dropped.map((r) => r.dropped!))].slice(0, 5),
    keysSent: sum("keysSent"),
    echoesMissing: sum("echoesMissing"),
    echo: summarize(all("echoMs")),
    check: summarize(all("checkMs")),
    checkFirst: summarize(results.flatMap((r) => r.checkMs.slice(0, 1))),
    checkLater: summarize(results.flatMap((r) => r.checkMs.slice(1))),
    checkRunner: summarize(batch.map(([, , runnerMs]) => runnerMs)),
    checkInside: summarize(batch.map(([, , , insideMs]) => insideMs)),
    checkFailures: sum("checkFailures"),
    reconnects: sum("reconnects"),
    reconnectsRestored: sum("reconnectsRestored"),
    reconnect: summarize(all("reconnectMs")),
    ready: summarize(results.map((r) => r.readyMs).filter((x) => x > 0)),
    loadAvg: Math.round(os.loadavg()[0]! * 100) / 100,
    host: hostSummary,
    runner,
    simulatorLoopDelay: { p50: ms(loop.percentile(50)), p99: ms(loop.percentile(99)), max: ms(loop.max) },
  };
}

/** A step holds when no session dropped, every key was echoed, every reconnect restored the screen, and echo p99 < 50 ms. */
export function stepHolds(r: StepResult, p99LimitMs = 50, checkP99LimitMs = 300): boolean {
  return (
    r.dropped === 0 &&
    r.echoesMissing === 0 &&
    r.reconnects === r.reconnectsRestored &&
    r.checkFailures === 0 &&
    r.echo.p99 < p99LimitMs &&
    r.check.p99 < checkP99LimitMs
  );
}

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { CheckPathStats } from "../sandbox/check-agent";

/** Prometheus metrics of one runner (its own registry, so tests can run several servers). */
export function createMetrics(sources: {
  sandboxes: () => number;
  terminals: () => number;
  checkPath?: () => CheckPathStats | undefined;
  /** Learners waiting in line for room. */
  waiting?: () => number;
  /** Sandbox starts now, the most at once so far (≤ SANDBOX_STARTS_AT_ONCE), the warm pool's ready ones. */
  starts?: () => { active: number; peak: number; poolReady: number };
}) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "runner_" });
  new Gauge({
    name: "runner_sandboxes_running",
    help: "Sandboxes currently running",
    registers: [registry],
    collect() {
      this.set(sources.sandboxes());
    },
  });
  new Gauge({
    name: "runner_terminals_open",
    help: "Terminals (PTYs) currently open",
    registers: [registry],
    collect() {
      this.set(sources.terminals());
    },
  });
  // Counts the manager keeps (sandbox/check-agent.ts), read at scrape time.
  const fromCheckPath = (name: string, help: string, values: (s: CheckPathStats) => [Record<string, string>, number][]) =>
    new Counter({
      name,
      help,
      labelNames: ["path"] as const,
      registers: [registry],
      collect() {
        const s = sources.checkPath?.();
        if (!s) return;
        this.reset();
        for (const [labels, v] of values(s)) this.inc(labels, v);
      },
    });
  fromCheckPath(
    "runner_runc_execs_total",
    "runc execs started for scripts and Checks (exec calls, one-exec batches, Check agent starts)",
    (s) => [[{}, s.runcExecs]],
  );
  fromCheckPath(
    "runner_check_batches_total",
    "Batches of Checks by the path that answered them: the Check agent, or one runc exec",
    (s) => [
      [{ path: "agent" }, s.agentBatches],
      [{ path: "exec" }, s.execBatches],
    ],
  );
  fromCheckPath("runner_check_agents_started_total", "Check agents started (one runc exec each)", (s) => [[{}, s.agentStarts]]);
  fromCheckPath("runner_check_agents_lost_total", "Check agents discarded (deadline, flood, killed or stopped by the learner)", (s) => [
    [{}, s.agentsLost],
  ]);
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const v = read();
        if (v !== undefined) this.set(v);
      },
    });
  gauge("runner_sandboxes_waiting", "Learners waiting in line for a sandbox (the runner is full)", () => sources.waiting?.());
  gauge("runner_sandbox_starts_active", "Sandboxes being started now", () => sources.starts?.().active);
  gauge(
    "runner_sandbox_starts_peak",
    "The most sandboxes ever being started at once (bounded by SANDBOX_STARTS_AT_ONCE)",
    () => sources.starts?.().peak,
  );
  gauge("runner_pool_ready", "Warm-pool sandboxes ready to hand out", () => sources.starts?.().poolReady);
  return {
    registry,
    bytesOut: new Counter({ name: "runner_terminal_output_bytes_total", help: "Bytes read from terminal PTYs", registers: [registry] }),
    terminalRelay: new Histogram({
      name: "runner_terminal_relay_seconds",
      help: "A learner's keystrokes to the first output sent back after them (their echo through the sandbox's shell), at the runner",
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1],
      registers: [registry],
    }),
    flowPauses: new Counter({
      name: "runner_terminal_flow_pauses_total",
      help: "Times a terminal's PTY was paused because a learner's browser or the screen mirror fell behind",
      registers: [registry],
    }),
    wsCloses: new Counter({
      name: "runner_ws_closes_total",
      help: "Terminal WebSocket closes by close code",
      labelNames: ["code"] as const,
      registers: [registry],
    }),
    execDuration: new Histogram({
      name: "runner_exec_duration_seconds",
      help: "Duration of exec (Checks) in sandboxes",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    httpErrors: new Counter({
      name: "runner_http_errors_total",
      help: "HTTP API error responses by status",
      labelNames: ["status"] as const,
      registers: [registry],
    }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;

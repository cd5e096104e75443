import type { Logger } from "pino";
import type { RunnerLimits } from "../../../contract/types";
import { DEFAULT_RUNNER_NAME } from "../../../contract/token";
import { TerminalHub } from "../terminal/hub";
import type { RecordingLimits } from "../terminal/recording-quota";
import { RecordingStore } from "../terminal/recording-store";
import type { FlowLimits } from "../terminal/flow";
import { CloseCode } from "../../../contract/protocol";
import { createHttpServer } from "./http";
import { createMetrics } from "./metrics";
import type { SandboxPort } from "./port";
import { attachTerminalSockets } from "./ws";
import { SandboxEnsurer } from "./ensure";
import { DrainSwitch } from "./drain";
import path from "node:path";

export interface RunnerServerOptions {
  sandboxes: SandboxPort;
  /** The app's public key (SPKI PEM): tokens signed with anything else are refused. */
  publicKey: string;
  /** This runner's name, the audience its tokens must name (default "local"). */
  runnerName?: string;
  runnerDir: string;
  log: Logger;
  terminalsPerSandbox: number;
  /** The rest of what GET /v1/limits publishes (main.ts passes the config's; tests may leave it out). */
  limits?: Omit<RunnerLimits, "terminalsPerSandbox">;
  recordingMaxBytes: number;
  /** Caps on all recordings and their retention (none when absent: only the per-terminal cap). */
  recordings?: RecordingLimits & { sweepIntervalMs?: number };
  flow?: FlowLimits;
  slowConsumerMs?: number;
  authTimeoutMs?: number;
  /** Published on /healthz for the app's placement (RUNNER_NAME, SANDBOX_CAPACITY). */
  fleet?: { name?: string; capacity?: number };
  /** SANDBOX_QUEUE_LEAVE_SECONDS in ms: a learner waiting in line who has not asked for this long drops out. */
  queueLeaveMs?: number;
}

/** HTTP API + Terminal WebSockets on one port, wired to a SandboxManager (or any SandboxPort). */
export function createRunnerServer(o: RunnerServerOptions) {
  // The gauges read the hub lazily (at scrape time), so the metrics can exist before it.
  const metrics = createMetrics({
    sandboxes: () => o.sandboxes.list().filter((s) => s.state === "running").length,
    terminals: () => terminals.count(),
    checkPath: () => o.sandboxes.checkPathStats?.(),
    waiting: () => ensurer.lineView().waiting,
    starts: () => {
      const st = o.sandboxes.stats?.();
      return st ? { ...st.starts, poolReady: st.pool.ready } : { active: 0, peak: 0, poolReady: 0 };
    },
  });
  // Scans what earlier runs recorded and deletes what is past retention, now and periodically.
  const recordings = new RecordingStore({
    runnerDir: o.runnerDir,
    limits: o.recordings,
    sweepIntervalMs: o.recordings?.sweepIntervalMs,
    log: o.log,
  });
  const terminals = new TerminalHub({
    runnerDir: o.runnerDir,
    maxPerSandbox: o.terminalsPerSandbox,
    recordingMaxBytes: o.recordingMaxBytes,
    recordings,
    ownerOf: (sid) => o.sandboxes.get(sid)?.owner,
    spawn: (sid, size) => o.sandboxes.spawnTerminal(sid, size),
    onActivity: (sid) => o.sandboxes.touch(sid),
    sandboxAlive: (sid) => o.sandboxes.get(sid)?.state === "running",
    onOutputBytes: (n) => metrics.bytesOut.inc(n),
    onRelay: (s) => metrics.terminalRelay.observe(s),
    onFlowPause: () => metrics.flowPauses.inc(),
    flow: o.flow,
    slowConsumerMs: o.slowConsumerMs,
  });
  const limits = { ...o.limits, terminalsPerSandbox: o.terminalsPerSandbox };
  const terminalSummaries = (sid: string) =>
    terminals.list(sid).map((t) => ({ id: t.id, createdAt: t.createdAt, ...t.size, clients: t.clientCount }));
  const ensurer = new SandboxEnsurer(o.sandboxes, async (sid) => ({ terminals: terminalSummaries(sid), limits: limits as RunnerLimits }), {
    leaveMs: o.queueLeaveMs,
  });
  const app = createHttpServer({
    sandboxes: o.sandboxes,
    terminals,
    publicKey: o.publicKey,
    runnerName: o.runnerName ?? DEFAULT_RUNNER_NAME,
    runnerDir: o.runnerDir,
    recordings,
    metrics,
    fleet: o.fleet,
    log: o.log,
    limits,
    ensurer,
    drain: new DrainSwitch(path.join(o.runnerDir, "draining")),
  });
  const sockets = attachTerminalSockets(app.server, {
    sandboxes: o.sandboxes,
    terminals,
    publicKey: o.publicKey,
    runnerName: o.runnerName ?? DEFAULT_RUNNER_NAME,
    metrics,
    log: o.log,
    authTimeoutMs: o.authTimeoutMs,
  });
  o.sandboxes.on("destroyed", (e) => terminals.closeSandbox(e.id, CloseCode.SANDBOX_GONE, "the sandbox was destroyed"));

  return {
    app,
    terminals,
    recordings,
    metrics,
    ensurer,
    /** Resolves with the bound address (port 0 picks a free one). */
    async listen(port: number, host: string): Promise<{ port: number; url: string }> {
      await recordings.ready;
      await app.listen({ port, host });
      const addr = app.server.address();
      const p = typeof addr === "object" && addr ? addr.port : port;
      return { port: p, url: `http://${host.includes(":") ? `[${host}]` : host}:${p}` };
    },
    async close(): Promise<void> {
      terminals.closeAll(CloseCode.SERVER_SHUTDOWN, "runner shutting down");
      sockets.close();
      recordings.close();
      ensurer.close();
      await app.close();
    },
  };
}
export type RunnerServer = ReturnType<typeof createRunnerServer>;

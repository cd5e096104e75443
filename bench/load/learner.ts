/**
 * One simulated learner against a real runner: creates a sandbox over the HTTP API, opens a
 * Terminal with the browser's own client (TerminalClient over `ws`), types words one key at a
 * time (echo latency = key sent → its echo back on the socket), runs commands and Checks (exec),
 * and drops its socket abruptly now and then: after each reconnect the screen (snapshot + output,
 * kept in a headless xterm like the page's) must hold the output produced while it was away, once.
 */
import * as xtermHeadless from "@xterm/headless";
import WebSocket from "ws";
import { TerminalClient, type TerminalStatus, type WebSocketLike } from "../../contract/terminal-client";
import type { RunnerClient } from "../../contract/runner-client";

export interface LearnerOptions {
  index: number;
  runner: RunnerClient;
  wsUrl: string;
  secret: string;
  /** When to stop acting (epoch ms). */
  until: number;
  /** Pause between keys, as a person typing. */
  keyIntervalMs?: number;
  /** Reconnect every this many ms of activity. */
  reconnectEveryMs?: number;
  /**
   * The Checks the page triggers after every command (the lesson's unfinished exercises), and how the
   * app runs them: "per-exercise" as main did before the batch (get the sandbox, list its terminals,
   * then one exec per Check at once), "batch" as now (one call, one exec). Default: one trivial Check per command, per-exercise.
   */
  checks?: { id: string; script: string; timeoutMs: number }[];
  checkPattern?: "per-exercise" | "batch";
}

export interface LearnerResult {
  index: number;
  echoMs: number[];
  keysSent: number;
  echoesMissing: number;
  checks: number;
  checkMs: number[];
  checkFailures: number;
  /**
   * Every Check: when it started (epoch ms), its time at the client, and for batch Checks the
   * runner's own time for the call and the slowest Check's time inside the sandbox (-1 otherwise).
   */
  checkTrace: [number, number, number, number][];
  /** Every echo: when the key was sent (monotonic ms) and its latency (ms); kept only for LOAD_TRACE_DIR. */
  echoTrace: [number, number][];
  reconnects: number;
  reconnectsRestored: number;
  reconnectMs: number[];
  readyMs: number;
  /** Why this learner's session broke (a dropped session), if it did. */
  dropped?: string;
}

// @xterm/headless is CommonJS: tsx exposes it as a namespace, vitest as a default export.
const ns = xtermHeadless as unknown as {
  Terminal?: typeof import("@xterm/headless").Terminal;
  default?: { Terminal: typeof import("@xterm/headless").Terminal };
};
const HeadlessTerminal = (ns.Terminal ?? ns.default!.Terminal)!;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const WORD = "dockerlayers";
const traceEchoes = !!process.env.LOAD_TRACE_DIR;

export async function simulateLearner(o: LearnerOptions): Promise<LearnerResult> {
  const res: LearnerResult = {
    index: o.index,
    echoMs: [],
    keysSent: 0,
    echoesMissing: 0,
    checks: 0,
    checkMs: [],
    checkFailures: 0,
    checkTrace: [],
    echoTrace: [],
    reconnects: 0,
    reconnectsRestored: 0,
    reconnectMs: [],
    readyMs: 0,
  };
  const owner = `load-${o.index}`;
  const t0 = performance.now();
  let sandboxId: string | undefined;
  let client: TerminalClient | undefined;
  const xterm = new HeadlessTerminal({ cols: 100, rows: 30, scrollback: 5000, allowProposedApi: true });
  try {
    const sb = await o.runner.createSandbox(owner);
    sandboxId = sb.id;
    let socket: WebSocket | null = null;
    let text = ""; // output since the last mark, for echo detection
    let waiter: { re: string; resolve: (t: number) => void } | null = null;
    let attachedAt = 0;
    let status: TerminalStatus | null = null;
    client = new TerminalClient({
      url: o.wsUrl,
      // The runner client signs for its own runner (the token names it as audience).
      getToken: () => o.runner.terminalToken(owner, sb.id, "learner", 60),
      cols: 100,
      rows: 30,
      backoff: { initialMs: 100, maxMs: 1000, maxAttempts: 10 },
      webSocket: (url) => {
        socket = new WebSocket(url);
        return socket as unknown as WebSocketLike;
      },
      onOutput: (data, done) => {
        const now = performance.now();
        text += Buffer.from(data).toString("utf8");
        if (text.length > 8192) text = text.slice(-4096);
        if (waiter && text.includes(waiter.re)) {
          const w = waiter;
          waiter = null;
          w.resolve(now);
        }
        xterm.write(data, done);
      },
      onSnapshot: (data, size) => {
        attachedAt = performance.now();
        xterm.reset();
        xterm.resize(size.cols, size.rows);
        xterm.write(data);
      },
      onStatus: (s) => (status = s),
    });
    const expectOutput = (needle: string, timeoutMs: number): Promise<number | null> =>
      new Promise((resolve) => {
        if (text.includes(needle)) return resolve(performance.now());
        const t = setTimeout(() => {
          waiter = null;
          resolve(null);
        }, timeoutMs);
        waiter = {
          re: needle,
          resolve: (at) => {
            clearTimeout(t);
            resolve(at);
          },
        };
      });
    const broken = () =>
      status && (status.state === "closed" || status.state === "exited") ? `terminal ${status.state}: ${JSON.stringify(status)}` : null;
    const waitAttached = async (ms: number) => {
      const end = Date.now() + ms;
      while (!client!.isAttached && Date.now() < end && !broken()) await sleep(10);
      return client!.isAttached;
    };
    const run = async (cmd: string, marker: string, ms = 15_000) => {
      text = "";
      const w = expectOutput(marker, ms);
      client!.sendInput(cmd + "\r");
      if ((await w) === null)
        throw new Error(`no ${marker} within ${ms} ms (${broken() ?? "socket " + (client!.isAttached ? "attached" : "detached")})`);
      await sleep(100); // let the prompt arrive, so it is not taken for the next key's echo
    };
    const screenLines = async () => {
      await new Promise<void>((r) => xterm.write("", r));
      const b = xterm.buffer.active;
      const lines: string[] = [];
      for (let i = 0; i < b.length; i++) lines.push(b.getLine(i)!.translateToString(true).trim());
      return lines;
    };

    client.connect();
    if (!(await waitAttached(30_000))) throw new Error(`never attached (${broken() ?? "timeout"})`);
    await run(`echo RE""ADY-${o.index}`, `READY-${o.index}`, 30_000);
    res.readyMs = Math.round(performance.now() - t0);

    let round = 0;
    let lastReconnect = Date.now();
    while (Date.now() < o.until) {
      round++;
      // Type a word, key by key, then erase the line (Ctrl-U): the shell echoes every key.
      for (const ch of WORD) {
        if (Date.now() >= o.until) break;
        text = "";
        const w = expectOutput(ch, 5000);
        const sent = performance.now();
        if (!client.sendInput(ch)) throw new Error(`typing while detached (${broken() ?? "reconnecting"})`);
        res.keysSent++;
        const at = await w;
        if (at === null) res.echoesMissing++;
        else {
          res.echoMs.push(at - sent);
          // Monotonic ms (CLOCK_MONOTONIC, as in a V8 CPU profile of the runner): the trace lines up with one.
          if (traceEchoes)
            res.echoTrace.push([
              Math.round(Number(process.hrtime.bigint() / 1000n) / 1000 - (performance.now() - sent)),
              Math.round((at - sent) * 10) / 10,
            ]);
        }
        await sleep(o.keyIntervalMs ?? 100);
      }
      // The step's end cuts the word short: stop there. Running the round's command and Check anyway
      // would make every learner run them at the same instant (they all share \`until\`), a burst of N
      // batch Checks at once that no class typing at its own pace makes (it was every Check over
      // 150 ms at 30 learners: bench/load/README.md).
      if (Date.now() >= o.until) break;
      client.sendInput("\x15");
      await run(`echo MA""RK-${o.index}-${round}`, `MARK-${o.index}-${round}`);

      // The page runs the lesson's unfinished Checks after every command (its prompt mark).
      {
        const checks = o.checks ?? [
          { id: "trivial", script: "test -x /bin/sh && uname -r >/dev/null && echo check-ok", timeoutMs: 15_000 },
        ];
        const c0 = performance.now();
        const at = Date.now();
        let runnerMs = -1;
        let insideMs = -1;
        try {
          if (o.checkPattern === "batch") {
            const r = await o.runner.runChecks(sb.id, checks, { owner: `load-${o.index}` });
            runnerMs = r.durationMs;
            insideMs = Math.max(0, ...r.results.map((x) => x.durationMs));
            if (r.results.length !== checks.length || r.results.some((x) => x.timedOut)) res.checkFailures++;
          } else {
            await o.runner.getSandbox(sb.id);
            await o.runner.listTerminals(sb.id);
            const rs = await Promise.all(checks.map((c) => o.runner.exec(sb.id, c.script, { timeoutMs: c.timeoutMs })));
            if (rs.some((x) => x.timedOut)) res.checkFailures++;
          }
        } catch {
          res.checkFailures++;
        }
        res.checks++;
        res.checkMs.push(performance.now() - c0);
        res.checkTrace.push([at, Math.round(performance.now() - c0), runnerMs, insideMs]);
      }

      if (Date.now() - lastReconnect >= (o.reconnectEveryMs ?? 5000) && Date.now() < o.until) {
        lastReconnect = Date.now();
        res.reconnects++;
        // Output that appears while nobody is attached must be on the screen after the reconnect, once.
        const marker = `AFTER-${o.index}-${round}`;
        client.sendInput(`sleep 0.3; echo AF""TER-${o.index}-${round}\r`);
        await sleep(20);
        const before = attachedAt;
        const r0 = performance.now();
        (socket as WebSocket | null)?.terminate(); // abrupt, as a network failure (1006)
        while (attachedAt === before && !broken() && performance.now() - r0 < 15_000) await sleep(10);
        if (attachedAt === before) throw new Error(`did not reconnect within 15 s (${broken() ?? "timeout"})`);
        res.reconnectMs.push(attachedAt - r0);
        const end = Date.now() + 5000;
        let lines = await screenLines();
        while (!lines.includes(marker) && Date.now() < end) {
          await sleep(50);
          lines = await screenLines();
        }
        const mark = `MARK-${o.index}-${round}`;
        if (lines.filter((l) => l === marker).length === 1 && lines.filter((l) => l === mark).length === 1) res.reconnectsRestored++;
      }
    }
    const b = broken();
    if (b) res.dropped = b;
  } catch (e) {
    res.dropped = (e as Error).message;
  } finally {
    client?.close();
    xterm.dispose();
    if (sandboxId) await o.runner.destroySandbox(sandboxId).catch(() => undefined);
  }
  return res;
}

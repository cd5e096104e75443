/**
 * Terminal throughput and keystroke echo: the same byte stream and the same keystrokes through the
 * runner's terminal path (a real sandbox: WebSocket ↔ runner holding the PTY master ↔ bash) and through
 * wetty (socket.io ↔ wetty ↔ host bash). Rounds interleave the two; both clients acknowledge output
 * as they receive it, as a browser that keeps up would.
 */
import * as pty from "node-pty";
import { signToken } from "../../contract/token";
import { measured, side, type Figure } from "../lib/results";
import type { RunnerProcess } from "../lib/runner-process";
import { rssKiB, sampler } from "../lib/proc";
import { openTermSocket } from "../lib/term-socket";
import { openWetty, startWetty } from "../lib/wetty";

interface Term {
  bytes: number;
  input(s: string): void;
  waitFor(marker: string, timeoutMs?: number): Promise<number>;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function ready(t: Term, n: number): Promise<void> {
  const w = t.waitFor(`READY-${n + 5}`);
  t.input(`echo READY-$((${n}+5))\r`);
  await w;
}

/** Bytes per second of `head -c rawBytes /dev/zero | base64` shown in the terminal. */
async function throughputRound(t: Term, rawBytes: number, n: number): Promise<{ bytesPerSec: number; bytes: number; ms: number }> {
  await ready(t, n);
  const b0 = t.bytes;
  const end = t.waitFor("BENCH-END-42", 120_000);
  const t0 = performance.now();
  t.input(`head -c ${rawBytes} /dev/zero | base64 -w 76; echo BENCH-END-$((6*7))\r`);
  const t1 = await end;
  const bytes = t.bytes - b0;
  return { bytesPerSec: bytes / ((t1 - t0) / 1000), bytes, ms: t1 - t0 };
}

/** Round trips of single keystrokes at a prompt (typed, echoed by the shell's line editor). */
async function echoRound(t: Term, keys: number, n: number): Promise<number[]> {
  await ready(t, n);
  const out: number[] = [];
  for (let i = 0; i < keys; i++) {
    const w = t.waitFor("x", 5000);
    const t0 = performance.now();
    t.input("x");
    out.push((await w) - t0);
    await sleep(3);
  }
  t.input("\x15"); // Ctrl-U: clear the typed line
  await sleep(50);
  return out;
}

/**
 * The ceiling of any terminal on this machine: the kernel's PTY itself. The same stream from a host
 * `sh` under node-pty, read and counted, nothing else: no sandbox, no WebSocket, no screen mirror.
 */
function barePty(rawBytes: number): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let n = 0;
    const p = pty.spawn("sh", ["-c", `head -c ${rawBytes} /dev/zero | base64 -w 76`], {
      cols: 120,
      rows: 30,
      name: "xterm-256color",
      encoding: null,
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
    });
    p.onData((d: Buffer | string) => (n += typeof d === "string" ? Buffer.byteLength(d) : d.length));
    p.onExit(() => resolve(n / ((performance.now() - t0) / 1000) / 1e6));
  });
}

/** How the product and wetty compare with the kernel PTY alone, measured in the same run. */
export function ceilingNote(f: Figure): string | undefined {
  const ceiling = (f.product?.extra?.ceilingBarePtyMBps as { p50?: number | null } | undefined)?.p50;
  const ours = f.product?.stat.p50;
  const peer = f.baseline?.stat.p50;
  if (!ceiling || !ours || !peer) return undefined;
  const x = (v: number) => (v / ceiling).toFixed(2);
  return `the kernel PTY alone (the ceiling of any terminal here) p50 ${ceiling} MB/s: this product ×${x(ours)} of it, wetty ×${x(peer)}; 2× wetty would be ×${x(2 * peer)}`;
}

export async function measureTerminal(
  r: RunnerProcess,
  o: { rounds: number; rawBytes: number; keys: number; log: (s: string) => void },
): Promise<Record<string, Figure>> {
  const wetty = await startWetty();
  const sb = await r.client.createSandbox("bench-terminal");
  const ours = await openTermSocket(r.wsUrl, {
    token: await signToken(r.secret, { sub: "bench-terminal", sid: sb.id, role: "learner" }),
    cols: 120,
    rows: 30,
  });
  const peer = await openWetty(wetty.url);
  try {
    await ours.waitFor("\x1b]133;A").catch(() => undefined);
    const tp = { ours: [] as number[], wetty: [] as number[], raw: [] as number[] };
    const echo = { ours: [] as number[], wetty: [] as number[] };
    const mem = { oursDeltaKiB: [] as number[], oursBaseKiB: 0, wettyDeltaKiB: [] as number[] };
    mem.oursBaseKiB = rssKiB(r.pid);
    // A short warm-up on each side (JIT, page cache for base64).
    await throughputRound(ours, 1 << 20, 0);
    await throughputRound(peer, 1 << 20, 0);
    for (let i = 1; i <= o.rounds; i++) {
      const pair: [string, Term, number][] =
        i % 2
          ? [
              ["ours", ours, r.pid],
              ["wetty", peer, wetty.pid],
            ]
          : [
              ["wetty", peer, wetty.pid],
              ["ours", ours, r.pid],
            ];
      for (const [name, term, pid] of pair) {
        const base = rssKiB(pid);
        const s = sampler(() => rssKiB(pid), 100);
        const res = await throughputRound(term, o.rawBytes, i);
        const peak = Math.max(...s.stop());
        (name === "ours" ? tp.ours : tp.wetty).push(res.bytesPerSec / 1e6);
        (name === "ours" ? mem.oursDeltaKiB : mem.wettyDeltaKiB).push(peak - base);
        (name === "ours" ? echo.ours : echo.wetty).push(...(await echoRound(term, o.keys, i)));
      }
      tp.raw.push(await barePty(o.rawBytes));
      o.log(
        `terminal round ${i}: ours ${tp.ours.at(-1)!.toFixed(1)} MB/s (bare host PTY ${tp.raw.at(-1)!.toFixed(1)}), wetty ${tp.wetty.at(-1)!.toFixed(1)} MB/s`,
      );
    }
    const throughput = measured({
      title: "Terminal throughput (base64 stream)",
      unit: "MB/s",
      better: "higher",
      product: side("runner → real sandbox (PTY master held by the runner)", tp.ours, {
        runnerRssPeakGrowthKiB: side("rss growth", mem.oursDeltaKiB).stat,
        runnerRssBeforeKiB: mem.oursBaseKiB,
        ceilingBarePtyMBps: side("a host sh under node-pty: the kernel PTY alone", tp.raw).stat,
        bytesPerRound: Math.round((o.rawBytes * 4) / 3),
      }),
      baseline: side("wetty 3.2 → host bash", tp.wetty, { wettyRssPeakGrowthKiB: side("rss growth", mem.wettyDeltaKiB).stat }),
      goal: "≥ 2× wetty, flat runner memory",
    });
    const growth = throughput.product!.extra!.runnerRssPeakGrowthKiB as { max: number | null };
    throughput.met = throughput.ratio != null ? throughput.ratio >= 2 && (growth.max ?? 0) < 64 * 1024 : null;
    throughput.notes = ceilingNote(throughput);
    const echoFig = measured({
      title: "Keystroke echo round trip",
      unit: "ms",
      better: "lower",
      product: side("runner → real sandbox", echo.ours),
      baseline: side("wetty 3.2 → host bash", echo.wetty),
      goal: "p50 ≤ wetty's, p99 ≤ 5 ms",
    });
    const p = echoFig.product!.stat;
    const b = echoFig.baseline!.stat;
    echoFig.met = p.p50 != null && b.p50 != null && p.p99 != null ? p.p50 <= b.p50 && p.p99 <= 5 : null;
    return { terminalThroughput: throughput, terminalEcho: echoFig };
  } finally {
    ours.close();
    peer.close();
    await wetty.stop();
    await r.client.destroySandbox(sb.id);
  }
}

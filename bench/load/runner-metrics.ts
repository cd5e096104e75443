/**
 * What the runner itself saw during a load step, read from its `/metrics` (Prometheus text) before
 * and after: its part of a keystroke's echo (`runner_terminal_relay_seconds`), how late its event
 * loop ran (prom-client's lag percentiles, reset at every scrape, so the scrape at the step's start
 * begins a fresh window) and its GC time. The parsing and arithmetic are pure; `scrape` is the I/O.
 */

export interface Histogram {
  /** Cumulative counts by upper bound (seconds), +Inf last. */
  buckets: [number, number][];
  count: number;
  sum: number;
}

export interface RunnerSide {
  /** Keystroke → echo sent, at the runner (ms, bucket-interpolated as Prometheus does). */
  relay: { n: number; p50: number; p99: number };
  /** The runner's event loop lag over the step (ms). */
  loopLag: { p50: number; p99: number; max: number };
  /** Time the runner spent in garbage collection over the step (ms). */
  gcMs: number;
}

const num = (s: string) => (s === "+Inf" ? Infinity : Number(s));

/** A histogram's cumulative buckets, count and sum (all label sets added up). Pure. */
export function parseHistogram(text: string, name: string): Histogram {
  const byLe = new Map<number, number>();
  let count = 0;
  let sum = 0;
  for (const line of text.split("\n")) {
    if (line.startsWith(`${name}_bucket{`)) {
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (le !== undefined) byLe.set(num(le), (byLe.get(num(le)) ?? 0) + Number(line.slice(line.lastIndexOf(" ") + 1)));
    } else if (line.startsWith(`${name}_count`)) count += Number(line.slice(line.lastIndexOf(" ") + 1));
    else if (line.startsWith(`${name}_sum`)) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return { buckets: [...byLe].sort((a, b) => a[0] - b[0]), count, sum };
}

/** One sample's value (without labels), or NaN. Pure. */
export function parseValue(text: string, name: string): number {
  const m = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
  return m ? Number(m[1]) : NaN;
}

/** What happened between two scrapes of the same histogram. Pure. */
export function histogramDelta(before: Histogram, after: Histogram): Histogram {
  const was = new Map(before.buckets);
  return {
    buckets: after.buckets.map(([le, c]) => [le, c - (was.get(le) ?? 0)]),
    count: after.count - before.count,
    sum: after.sum - before.sum,
  };
}

/** The q-quantile of a histogram, linear within its bucket (as Prometheus' histogram_quantile). Pure. */
export function quantile(h: Histogram, q: number): number {
  if (h.count === 0) return 0;
  const rank = q * h.count;
  let lower = 0;
  let below = 0;
  for (const [le, c] of h.buckets) {
    if (c >= rank) {
      if (le === Infinity) return lower; // beyond the last bound: the best we can say is "at least"
      return lower + ((le - lower) * (rank - below)) / Math.max(1, c - below);
    }
    lower = le;
    below = c;
  }
  return lower;
}

const ms = (s: number) => Math.round(s * 10_000) / 10;

/** The runner's side of a step from the scrapes at its start and end. Pure. */
export function runnerSide(before: string, after: string): RunnerSide {
  const relay = histogramDelta(
    parseHistogram(before, "runner_terminal_relay_seconds"),
    parseHistogram(after, "runner_terminal_relay_seconds"),
  );
  const gc = histogramDelta(
    parseHistogram(before, "runner_nodejs_gc_duration_seconds"),
    parseHistogram(after, "runner_nodejs_gc_duration_seconds"),
  );
  return {
    relay: { n: relay.count, p50: ms(quantile(relay, 0.5)), p99: ms(quantile(relay, 0.99)) },
    loopLag: {
      p50: ms(parseValue(after, "runner_nodejs_eventloop_lag_p50_seconds")),
      p99: ms(parseValue(after, "runner_nodejs_eventloop_lag_p99_seconds")),
      max: ms(parseValue(after, "runner_nodejs_eventloop_lag_max_seconds")),
    },
    gcMs: Math.round(gc.sum * 1000),
  };
}

/** `/metrics` of the runner at `baseUrl` (loopback; unauthenticated by design). */
export async function scrape(baseUrl: string): Promise<string> {
  const r = await fetch(`${baseUrl}/metrics`);
  if (!r.ok) throw new Error(`GET ${baseUrl}/metrics answered ${r.status}`);
  return r.text();
}

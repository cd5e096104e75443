import { describe, expect, it } from "vitest";
import { histogramDelta, parseHistogram, parseValue, quantile, runnerSide } from "./runner-metrics";

const relay = (counts: number[], sum: number) =>
  [
    "# TYPE runner_terminal_relay_seconds histogram",
    ...[0.001, 0.005, 0.01, 0.05].map((le, i) => `runner_terminal_relay_seconds_bucket{le="${le}"} ${counts[i]}`),
    `runner_terminal_relay_seconds_bucket{le="+Inf"} ${counts[4]}`,
    `runner_terminal_relay_seconds_sum ${sum}`,
    `runner_terminal_relay_seconds_count ${counts[4]}`,
  ].join("\n");

describe("the runner's side of a load step", () => {
  it("reads a histogram, adding up label sets", () => {
    const text =
      'x_bucket{kind="a",le="1"} 2\nx_bucket{kind="b",le="1"} 3\nx_bucket{kind="a",le="+Inf"} 4\nx_sum{kind="a"} 1.5\nx_count{kind="a"} 4\n';
    expect(parseHistogram(text, "x")).toEqual({
      buckets: [
        [1, 5],
        [Infinity, 4],
      ],
      count: 4,
      sum: 1.5,
    });
    expect(parseValue("a_p99_seconds 0.25\na_p9_seconds 9\n", "a_p99_seconds")).toBe(0.25);
    expect(parseValue("", "a")).toBeNaN();
  });

  it("takes the step's own observations and interpolates within a bucket, as Prometheus does", () => {
    const d = histogramDelta(
      parseHistogram(relay([10, 10, 10, 10, 10], 0.005), "runner_terminal_relay_seconds"),
      parseHistogram(relay([10, 60, 100, 110, 110], 0.4), "runner_terminal_relay_seconds"),
    );
    expect(d.count).toBe(100);
    expect(d.buckets.map(([, c]) => c)).toEqual([0, 50, 90, 100, 100]);
    // rank 50 is the last of the (0.001, 0.005] bucket; rank 99 is 9/10 into (0.01, 0.05].
    expect(quantile(d, 0.5)).toBeCloseTo(0.005);
    expect(quantile(d, 0.99)).toBeCloseTo(0.046);
    expect(quantile({ buckets: [], count: 0, sum: 0 }, 0.99)).toBe(0);
  });

  it("says the runner's echo share, loop lag and GC time in ms", () => {
    const before =
      relay([0, 0, 0, 0, 0], 0) +
      '\nrunner_nodejs_gc_duration_seconds_sum{kind="minor"} 1\nrunner_nodejs_gc_duration_seconds_count{kind="minor"} 3';
    const after =
      relay([50, 100, 100, 100, 100], 0.1) +
      '\nrunner_nodejs_gc_duration_seconds_sum{kind="minor"} 1.25\nrunner_nodejs_gc_duration_seconds_count{kind="minor"} 9' +
      "\nrunner_nodejs_eventloop_lag_p50_seconds 0.0101\nrunner_nodejs_eventloop_lag_p99_seconds 0.02\nrunner_nodejs_eventloop_lag_max_seconds 0.05";
    expect(runnerSide(before, after)).toEqual({ relay: { n: 100, p50: 1, p99: 4.9 }, loopLag: { p50: 10.1, p99: 20, max: 50 }, gcMs: 250 });
  });
});

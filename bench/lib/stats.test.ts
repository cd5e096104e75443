import { describe, expect, it } from "vitest";
import { percentile, ratio, round, summarize } from "./stats";

describe("bench stats", () => {
  it("percentiles use the nearest rank", () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(Number.isNaN(percentile([], 50))).toBe(true);
  });
  it("summaries and ratios", () => {
    expect(summarize([4, 1, 3, 2])).toMatchObject({ n: 4, p50: 2, p99: 4, mean: 2.5, min: 1, max: 4 });
    expect(ratio(30, 20)).toBe(1.5);
    expect(Number.isNaN(ratio(1, 0))).toBe(true);
    expect(round(Number.NaN)).toBeNull();
    expect(round(1234.5678)).toBe(1235);
    expect(round(1.23456)).toBe(1.23);
  });
});

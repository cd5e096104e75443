import { describe, expect, it } from "vitest";
import { assertLoopback, percentile, summarize } from "./stats";

describe("load statistics", () => {
  it("nearest-rank percentiles", () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(s, 50)).toBe(50);
    expect(percentile(s, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(summarize([3, 1, 2])).toMatchObject({ n: 3, p50: 2, max: 3 });
  });
  it("refuses anything but loopback", () => {
    expect(() => assertLoopback("http://127.0.0.1:3001")).not.toThrow();
    expect(() => assertLoopback("ws://[::1]:3001/v1/terminals")).not.toThrow();
    expect(() => assertLoopback("http://10.0.0.5:3001")).toThrow(/only talks to this machine/);
    expect(() => assertLoopback("http://example.com")).toThrow();
  });
});

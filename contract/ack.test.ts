import { describe, expect, it } from "vitest";
import { AckBatcher } from "./ack";

describe("AckBatcher", () => {
  it("acks in batches and flushes the rest", () => {
    const b = new AckBatcher(100);
    expect(b.written(60)).toBe(0);
    expect(b.written(60)).toBe(120);
    expect(b.written(5)).toBe(0);
    expect(b.flush()).toBe(5);
    expect(b.flush()).toBe(0);
  });
});

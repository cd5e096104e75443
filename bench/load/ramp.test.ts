import { describe, expect, it } from "vitest";
import { clientNiceFromEnv } from "./ramp";

describe("LOAD_CLIENT_NICE", () => {
  it("defaults to 0 and takes a nice value from 0 to 19", () => {
    expect(clientNiceFromEnv(undefined)).toBe(0);
    expect(clientNiceFromEnv("")).toBe(0);
    expect(clientNiceFromEnv("10")).toBe(10);
    expect(clientNiceFromEnv("19")).toBe(19);
  });

  it("says what is wrong with anything else", () => {
    for (const bad of ["-1", "20", "1.5", "ten"])
      expect(() => clientNiceFromEnv(bad)).toThrow(/LOAD_CLIENT_NICE=.* must be a whole number from 0 to 19/);
  });
});

import { describe, expect, it } from "vitest";
import { inCgroup } from "./process-tree";

const SANDBOX = "/aprendendo-4a4186196d/379128c7ce54e988";

/** A v1 hybrid host (these machines): one line per controller, then the unified v2 line. */
const v1 = (p: string, v2 = p) =>
  [
    `9:name=systemd:${p}`,
    `8:pids:${p}`,
    `7:blkio:${p}`,
    `6:freezer:${p}`,
    `5:devices:${p}`,
    `4:memory:${p}`,
    `3:cpuset:${p}`,
    `2:cpuacct:${p}`,
    `1:cpu:${p}`,
    `0::${v2}`,
    "",
  ].join("\n");

describe("inCgroup", () => {
  it("places a sandbox's process in its cgroup (v1 hybrid, v2 only, a sub-cgroup)", () => {
    expect(inCgroup(v1(SANDBOX), SANDBOX)).toBe(true);
    expect(inCgroup(v1(SANDBOX, "/"), SANDBOX)).toBe(true);
    expect(inCgroup(`0::${SANDBOX}\n`, SANDBOX)).toBe(true);
    expect(inCgroup(`0::${SANDBOX}/nested/deeper\n`, SANDBOX)).toBe(true);
  });

  it("does not place a host process, another sandbox's or a look-alike path there", () => {
    expect(inCgroup(v1("/"), SANDBOX)).toBe(false);
    expect(inCgroup(v1("/process_api/c0f64a8d6be0bafd2264d2fedb39bd3f"), SANDBOX)).toBe(false);
    expect(inCgroup("0::/user.slice/user-0.slice/session-1.scope\n", SANDBOX)).toBe(false);
    expect(inCgroup(v1("/aprendendo-4a4186196d/0000000000000000"), SANDBOX)).toBe(false);
    expect(inCgroup(v1("/aprendendo-4a4186196d"), SANDBOX)).toBe(false);
    expect(inCgroup(v1(`${SANDBOX}0`), SANDBOX)).toBe(false);
    expect(inCgroup(v1(`/elsewhere${SANDBOX}`), SANDBOX)).toBe(false);
  });

  it("decides nothing from an empty or malformed file (a process that is gone)", () => {
    expect(inCgroup("", SANDBOX)).toBe(false);
    expect(inCgroup(`${SANDBOX}\n`, SANDBOX)).toBe(false);
    expect(inCgroup(`memory:${SANDBOX}\n`, SANDBOX)).toBe(false);
  });

  it("refuses a cgroupsPath that would match every process", () => {
    for (const bad of ["/", "", "aprendendo/x", "/a//b", "/a/../b", "/a/"])
      expect(() => inCgroup(v1("/"), bad), bad).toThrow(/absolute cgroup path/);
  });
});

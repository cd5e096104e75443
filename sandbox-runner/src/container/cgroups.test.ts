import { describe, expect, it } from "vitest";
import { cgroupMountPoints, cgroupParentFor, cgroupsPathFor, parentCpuShares, parentCpuWeightV2, unescapeMount } from "./cgroups";

const hybrid = [
  "25 30 0:22 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755",
  "26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw",
  "29 25 0:26 / /sys/fs/cgroup/memory rw,nosuid,nodev,noexec,relatime shared:13 - cgroup cgroup rw,memory",
  "30 25 0:27 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:14 - cgroup cgroup rw,pids",
  "31 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw shared:15 - cgroup cgroup rw,cpu,cpuacct",
  "40 30 0:40 / /data/with\\040space rw - ext4 /dev/vda rw",
].join("\n");

describe("cgroup layout", () => {
  it("finds every v1 and v2 hierarchy in mountinfo, nothing else", () => {
    expect(cgroupMountPoints(hybrid)).toEqual([
      "/sys/fs/cgroup/unified",
      "/sys/fs/cgroup/memory",
      "/sys/fs/cgroup/pids",
      "/sys/fs/cgroup/cpu,cpuacct",
    ]);
    expect(cgroupMountPoints("35 1 0:30 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw")).toEqual(["/sys/fs/cgroup"]);
  });

  it("unescapes octal escapes in mount points", () => {
    expect(unescapeMount("/data/with\\040space")).toBe("/data/with space");
  });

  it("gives each runner dir its own parent cgroup", () => {
    const a = cgroupParentFor("/srv/a/runner");
    expect(a).toMatch(/^aprendendo-[0-9a-f]{10}$/);
    expect(cgroupParentFor("/srv/a/runner")).toBe(a);
    expect(cgroupParentFor("/srv/b/runner")).not.toBe(a);
    expect(cgroupsPathFor(a, "abc")).toBe(`/${a}/abc`);
  });
});

describe("the sandboxes' parent CPU weight", () => {
  it("is that many host processes' worth, within the kernel's range (v1 shares, v2 weight)", () => {
    expect(parentCpuShares(4)).toBe(4096);
    expect(parentCpuShares(1)).toBe(1024);
    expect(parentCpuShares(1000)).toBe(262_144);
    expect(parentCpuWeightV2(4)).toBe(400);
    expect(parentCpuWeightV2(1000)).toBe(10_000);
  });
});

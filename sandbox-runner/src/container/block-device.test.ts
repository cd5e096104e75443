import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { blockDeviceOf, splitDev, wholeDisk } from "./block-device";

describe("block device of a path", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), "blockdev-"));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it("splits a dev_t like the kernel (12-bit major, 20-bit minor)", () => {
    expect(splitDev(0xfe00n)).toEqual({ major: 254, minor: 0 });
    expect(splitDev(0x801n)).toEqual({ major: 8, minor: 1 });
    // major 259 (NVMe partitions), minor 300: minor's high bits sit above the major's.
    expect(splitDev((259n << 8n) | (300n & 0xffn) | ((300n & ~0xffn) << 12n))).toEqual({ major: 259, minor: 300 });
  });

  it("says why when the path has no block device (/dev/shm is a tmpfs)", async () => {
    expect(await blockDeviceOf("/dev/shm")).toMatchObject({ reason: expect.stringMatching(/without a block device/) });
  });

  it("maps a partition to its whole disk through sysfs", async () => {
    const sys = path.join(tmp, "sys");
    const part = path.join(sys, "devices/disk0/disk0p1");
    mkdirSync(part, { recursive: true });
    writeFileSync(path.join(part, "partition"), "1\n");
    writeFileSync(path.join(sys, "devices/disk0/dev"), "8:0\n");
    mkdirSync(path.join(sys, "dev/block"), { recursive: true });
    symlinkSync(part, path.join(sys, "dev/block/8:1"));
    expect(await wholeDisk("/data", { major: 8, minor: 1 }, path.join(sys, "dev/block"))).toEqual({ major: 8, minor: 0 });
  });

  it("keeps a whole disk as it is; refuses a device sysfs does not know and an anonymous one", async () => {
    const sys = path.join(tmp, "sys2");
    mkdirSync(path.join(sys, "254:0"), { recursive: true });
    expect(await wholeDisk("/data", { major: 254, minor: 0 }, sys)).toEqual({ major: 254, minor: 0 });
    expect(await wholeDisk("/data", { major: 7, minor: 3 }, sys)).toMatchObject({ reason: expect.stringMatching(/not a block device/) });
    expect(await wholeDisk("/data", { major: 0, minor: 42 }, sys)).toMatchObject({
      reason: expect.stringMatching(/without a block device/),
    });
  });
});

/**
 * The whole block device (major:minor) a path lives on, for the sandbox's block-I/O throttle. The
 * cgroup throttles take whole disks only (a partition's numbers are refused), and a path on overlay,
 * tmpfs, NFS, btrfs subvolumes... has an anonymous device (major 0) that no throttle can name.
 */
import { existsSync } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import path from "node:path";

/** Linux's dev_t split (new_decode_dev): 12 bits of major and 20 of minor, spread over 64 bits. */
export function splitDev(dev: bigint): { major: number; minor: number } {
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn & 0xffffffffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn & 0xffffffffn));
  return { major, minor };
}

type Found = { major: number; minor: number } | { reason: string };

export async function blockDeviceOf(p: string, sysBlock = "/sys/dev/block"): Promise<Found> {
  return wholeDisk(p, splitDev((await stat(p, { bigint: true })).dev), sysBlock);
}

/** The whole disk of device major:minor (that `p` is on), as sysfs under `sysBlock` describes it. */
export async function wholeDisk(p: string, { major, minor }: { major: number; minor: number }, sysBlock: string): Promise<Found> {
  if (major === 0) return { reason: `${p} is on a filesystem without a block device (device 0:${minor}: overlay, tmpfs, network...)` };
  const node = path.join(sysBlock, `${major}:${minor}`);
  if (!existsSync(node)) return { reason: `device ${major}:${minor} of ${p} is not a block device` };
  if (!existsSync(path.join(node, "partition"))) return { major, minor };
  // A partition: its sysfs dir sits inside its disk's dir, whose `dev` file holds the disk's numbers.
  const disk = (await readFile(path.join(path.dirname(await realpath(node)), "dev"), "utf8").catch(() => "")).trim();
  const m = /^(\d+):(\d+)$/.exec(disk);
  if (!m) return { reason: `device ${major}:${minor} of ${p} is a partition whose disk was not found in sysfs` };
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/**
 * The Snapshot side of a Bundle: a size-capped tmpfs holds the active (writable) snapshot, the
 * overlay's upper and work dirs; the committed layers are the overlay's read-only lowerdirs.
 * Mounted on the host by the runner (host root), then handed to runc as the container's rootfs.
 */
import { mkdir, readFile, symlink } from "node:fs/promises";
import path from "node:path";
import { runCommand } from "./command";
import { unescapeMount } from "./cgroups";

export interface SnapshotMountOptions {
  /** Sandbox dir: gets `disk/` (tmpfs: upper/ + work/) and `rootfs/` (merged overlay). */
  dir: string;
  /** Layer snapshot dirs, bottom → top (as Image.layers). */
  lowerDirs: string[];
  diskMb: number;
  /** Owner of the tmpfs root and upper dir: the host uid root inside maps to. */
  uidBase: number;
  /** An OCI image layout to show read-only at `oci/` (bind-mounted to /oci by the spec). */
  ociLayoutDir?: string;
  /** Fills the empty upper dir before the overlay is mounted (a learner's saved work). */
  fillUpper?: (upperDir: string) => Promise<void>;
}

export function snapshotPaths(dir: string) {
  return {
    disk: path.join(dir, "disk"),
    upper: path.join(dir, "disk/upper"),
    work: path.join(dir, "disk/work"),
    rootfs: path.join(dir, "rootfs"),
    oci: path.join(dir, "oci"),
  };
}

/**
 * overlayfs shows its options as given (`findmnt /`, /proc/self/mountinfo inside the sandbox), so
 * the mounts are made from the sandbox dir through short relative names that point at the real
 * dirs: the learner sees `lowerdir=layer3:layer2:layer1,upperdir=upper,workdir=work` (the lesson's
 * words), never where the host keeps its Snapshots. Pure, so the names are unit-tested.
 */
export function overlayNames(layerCount: number): { layers: string[]; options: string } {
  const layers = Array.from({ length: layerCount }, (_, i) => `layer${i + 1}`);
  return { layers, options: `lowerdir=${[...layers].reverse().join(":")},upperdir=upper,workdir=work` };
}

/**
 * Inodes allowed on the writable layer's tmpfs, per MiB of its size: one per 4 KiB. tmpfs counts
 * inodes apart from `size=` (by default half the host's RAM pages), and each one costs kernel memory
 * however empty the file: without a cap, `touch` in a loop creates millions of files in a 16 MiB
 * layer. 4 KiB each is what ext4 allows at its densest, plenty for a learner's files.
 */
export const INODES_PER_MB = 256;

/** Mount options of the writable layer's tmpfs (pure, so the caps are unit-tested). */
export function diskTmpfsOptions(diskMb: number, uidBase: number): string {
  return `size=${diskMb}m,nr_inodes=${diskMb * INODES_PER_MB},mode=0755,uid=${uidBase},gid=${uidBase},nosuid,nodev`;
}

export async function mountSnapshot(o: SnapshotMountOptions): Promise<string> {
  if (o.lowerDirs.length === 0) throw new Error("The image has no layers: rebuild it (ensureImage) before creating sandboxes.");
  const p = snapshotPaths(o.dir);
  await mkdir(p.disk, { recursive: true });
  await mkdir(p.rootfs, { recursive: true });
  await runCommand("mount", ["-t", "tmpfs", "-o", diskTmpfsOptions(o.diskMb, o.uidBase), "tmpfs", p.disk]);
  // upper/ carries the root dir's owner and mode into the merged view: root inside must own "/".
  await runCommand("install", ["-d", "-m", "0755", "-o", String(o.uidBase), "-g", String(o.uidBase), p.upper, p.work]);
  if (o.fillUpper) await o.fillUpper(p.upper);
  const names = overlayNames(o.lowerDirs.length);
  for (const [i, name] of names.layers.entries()) await symlink(path.resolve(o.lowerDirs[i]!), path.join(o.dir, name));
  await symlink("disk/upper", path.join(o.dir, "upper"));
  await symlink("disk/work", path.join(o.dir, "work"));
  await runCommand("mount", ["-t", "overlay", "overlay", "-o", names.options, "rootfs"], { cwd: o.dir });
  if (o.ociLayoutDir) await mountReadOnlyView(o.dir, o.ociLayoutDir, "oci");
  return p.rootfs;
}

/**
 * `dir/<name>`: a read-only overlay of `source` alone (overlayfs wants a second, here empty, lower
 * dir when there is no upper). A bind mount of `source` would show its host path in the sandbox's
 * mountinfo (the root field of a bind is its path on the host's filesystem); the overlay's root is "/".
 */
async function mountReadOnlyView(dir: string, source: string, name: string): Promise<void> {
  await mkdir(path.join(dir, name));
  await mkdir(path.join(dir, `${name}-empty`));
  await symlink(path.resolve(source), path.join(dir, `${name}-image`));
  await runCommand("mount", ["-t", "overlay", "overlay", "-o", `ro,lowerdir=${name}-image:${name}-empty`, name], { cwd: dir });
}

/** Mount points at or below `under` (deepest first), from /proc/self/mountinfo. */
export async function mountsUnder(under: string): Promise<string[]> {
  const info = await readFile("/proc/self/mountinfo", "utf8");
  const prefix = path.resolve(under);
  const points = info
    .split("\n")
    .map((l) => unescapeMount(l.split(" ")[4] ?? ""))
    .filter((mp) => mp === prefix || mp.startsWith(prefix + "/"));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Unmounts everything at or below `under`; falls back to a lazy unmount when something still holds it. */
export async function unmountAll(under: string): Promise<void> {
  for (const mp of await mountsUnder(under)) {
    await runCommand("umount", [mp]).catch(() => runCommand("umount", ["-l", mp]).catch(() => undefined));
  }
  const left = await mountsUnder(under);
  if (left.length) throw new Error(`Could not unmount ${left.join(", ")}: find who holds them with \`fuser -vm <path>\`.`);
}

/**
 * A learner's saved work as a real OCI Layer: the writable layer (the overlay upper dir of their
 * sandbox's active Snapshot) turned into a gzip'd layer tarball when the sandbox ends, and unpacked
 * back into the next sandbox's empty upper dir. Inside the tarball it is an ordinary Layer (OCI
 * whiteouts as `.wh.` files, container ids), so `tar tzf` or any image tool reads it.
 *
 * The tarball is learner-controlled content (they were root over those files): `SavedLayerGuard`
 * refuses whatever the sandbox itself could not have made or that would reach outside the dir when
 * host root unpacks it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { Transform, type TransformCallback } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import type { IdRange } from "../image/idmap";
import { SnapshotTransform, TarEntryTransform } from "../image/layer-transform";
import type { TarEntry } from "../image/tar-format";
import { normalizePath, OPAQUE_MARKER, OPAQUE_XATTR_PAX_KEY, WHITEOUT_PREFIX } from "../image/whiteout";

export class SavedLayerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SavedLayerError";
  }
}

/** Container id of host id `id`, or undefined when it is outside the sandbox's range. */
export function unshiftId(id: number, ids: IdRange): number | undefined {
  return id >= ids.base && id < ids.base + ids.count ? id - ids.base : undefined;
}

/**
 * One member of GNU tar's archive of an upper dir → the Layer's members (pure). overlayfs marks a
 * deleted path with a 0:0 character device and an opaque dir with trusted.overlay.opaque=y; a Layer
 * says the same with `.wh.<name>` and `<dir>/.wh..wh..opq`. Host ids go back to container ids.
 * Dropped: sockets' and devices' leftovers (the sandbox can make neither), files of ids outside the
 * range, every other xattr (file capabilities set by host root would be the host's to trust).
 */
export function upperToLayer(e: TarEntry, ids: IdRange): TarEntry[] {
  const path = normalizePath(e.path);
  if (path === ".") return []; // the upper dir itself: the next one is made fresh, owned by root inside
  const slash = path.lastIndexOf("/");
  const dir = slash === -1 ? "" : path.slice(0, slash + 1);
  const base = path.slice(slash + 1);
  const uid = unshiftId(e.uid, ids);
  const gid = unshiftId(e.gid, ids);
  const empty = (p: string): TarEntry => ({ ...e, path: p, type: "file", mode: 0o644, uid: 0, gid: 0, size: 0, linkpath: "", pax: {} });
  if (e.type === "char" && e.devmajor === 0 && e.devminor === 0) return [empty(`${dir}${WHITEOUT_PREFIX}${base}`)];
  if (e.type === "char" || e.type === "block") return [];
  if (uid === undefined || gid === undefined) return [];
  const out: TarEntry = { ...e, path: e.type === "dir" ? `${path}/` : path, uid, gid, pax: {} };
  if (e.type === "dir" && e.pax[OPAQUE_XATTR_PAX_KEY] === "y") return [out, empty(`${path}/${OPAQUE_MARKER}`)];
  return [out];
}

/** The dirs a member's path goes through ("a/b/c" → "a", "a/b"). */
function parents(p: string): string[] {
  const parts = p.split("/");
  return parts.slice(0, -1).map((_, i) => parts.slice(0, i + 1).join("/"));
}

/**
 * Checks each member of a saved layer before host root unpacks it (pure, stateful across members).
 * Refused: absolute or `..` paths; a path twice; anything under a path the archive made a symlink (or a non-dir);
 * hard links to anything but an earlier regular file of the archive; devices, FIFOs aside (the
 * sandbox can make no device; whiteouts come as `.wh.` files); xattrs (the opaque one comes from
 * its marker, and trusted.overlay.redirect would point the overlay at any lower path); more file
 * bytes than `maxBytes` (a tar bomb stops here, before the disk fills). Ids beyond the range are
 * refused by the id shift itself.
 */
export class SavedLayerGuard {
  private readonly seen = new Set<string>();
  private readonly notDirs = new Set<string>();
  private readonly files = new Set<string>();
  bytes = 0;
  members = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly maxMembers: number,
  ) {}

  check(e: TarEntry): void {
    const refuse = (why: string): never => {
      throw new SavedLayerError(`saved layer refused at "${e.path.slice(0, 200)}": ${why}`);
    };
    if (e.path.startsWith("/")) refuse("absolute path");
    const path = normalizePath(e.path);
    if (path.split("/").includes("..")) refuse("'..' in the path");
    if (++this.members > this.maxMembers) refuse(`more than ${this.maxMembers} entries`);
    // An upper dir holds each path once: a second member could replace a dir with a symlink.
    if (this.seen.has(path)) refuse("the path comes twice");
    this.seen.add(path);
    for (const p of parents(path)) if (this.notDirs.has(p)) refuse(`its parent ${p} is not a directory (a symlink?)`);
    if (e.type === "char" || e.type === "block") refuse("device node");
    for (const k of Object.keys(e.pax))
      if (k.startsWith("SCHILY.xattr.") || k.startsWith("LIBARCHIVE.xattr.")) refuse(`extended attribute ${k}`);
    if (e.type === "hardlink") {
      if (e.linkpath.startsWith("/")) refuse("hard link to an absolute path");
      const target = normalizePath(e.linkpath);
      if (!this.files.has(target)) refuse("hard link to something that is not an earlier file of the archive");
    }
    if (e.type === "file") {
      this.bytes += e.size;
      if (this.bytes > this.maxBytes) refuse(`more than ${Math.round(this.maxBytes / 1024 / 1024)} MiB of files`);
      if (!path.split("/").at(-1)!.startsWith(WHITEOUT_PREFIX)) this.files.add(path);
    }
    if (e.type !== "dir") this.notDirs.add(path);
  }
}

/** Counts and caps the bytes through it; `over` rejects once more than `max` passed. */
class ByteCap extends Transform {
  bytes = 0;
  constructor(
    private readonly max: number,
    private readonly over: () => Error,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.max) return cb(this.over());
    cb(null, chunk);
  }
}

/** A tar process reading or writing the given dir, its stderr kept for the error message. */
function gnuTar(args: string[], what: string) {
  const child = spawn("tar", args, { stdio: ["pipe", "pipe", "pipe"] });
  let err = "";
  child.stderr.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", (e) => reject(new Error(`tar could not start (${e.message}): install GNU tar`)));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`tar failed to ${what} (exit ${code}): ${err.trim()}`))));
  });
  return { child, done };
}

export interface SavedLayerInfo {
  /** sha256 of the uncompressed tar (the Layer's DiffID) and of the gzip'd blob (its digest). */
  diffId: string;
  digest: string;
  /** Bytes of the blob. */
  size: number;
  mediaType: "application/vnd.oci.image.layer.v1.tar+gzip";
}

export class SavedLayerTooBig extends Error {
  constructor(readonly maxBytes: number) {
    super(`the saved work is bigger than the ${Math.round(maxBytes / 1024 / 1024)} MiB a learner may keep`);
    this.name = "SavedLayerTooBig";
  }
}

/**
 * Writes `upperDir` (of a stopped sandbox: nothing changes it meanwhile) as a gzip'd Layer to `file`.
 * GNU tar reads the dir without following symlinks (no -h) and records the opaque xattr; the rest is
 * `upperToLayer`. Rejects with SavedLayerTooBig past `maxBytes` of blob (the partial file is the
 * caller's to remove).
 */
export async function writeSavedLayer(upperDir: string, ids: IdRange, file: string, maxBytes: number): Promise<SavedLayerInfo> {
  const tar = gnuTar(
    [
      "-c",
      "-f",
      "-",
      "-C",
      upperDir,
      "--numeric-owner",
      "--format=pax",
      "--xattrs",
      "--xattrs-include=trusted.overlay.opaque",
      "--no-acls",
      "--no-selinux",
      "--sort=name",
      ".",
    ],
    `read the writable layer ${upperDir}`,
  );
  const diff = createHash("sha256");
  const blob = createHash("sha256");
  const rewrite = new TarEntryTransform((e) => upperToLayer(e, ids));
  rewrite.on("data", (b: Buffer) => diff.update(b));
  const cap = new ByteCap(maxBytes, () => new SavedLayerTooBig(maxBytes));
  cap.on("data", (b: Buffer) => blob.update(b));
  try {
    await Promise.all([
      pipeline(tar.child.stdout, rewrite, createGzip({ level: 6 }), cap, createWriteStream(file, { mode: 0o600 })),
      tar.done,
    ]);
  } catch (e) {
    tar.child.kill("SIGKILL");
    throw e;
  }
  return {
    diffId: `sha256:${diff.digest("hex")}`,
    digest: `sha256:${blob.digest("hex")}`,
    size: cap.bytes,
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
  };
}

/**
 * Unpacks a saved layer into an empty upper dir (before the overlay is mounted on it): ids shifted
 * into the sandbox's range and whiteouts in overlayfs form (SnapshotTransform, as for the Image's
 * Layers), every member checked by SavedLayerGuard first, GNU tar told to set no xattr but the opaque one.
 */
export async function restoreSavedLayer(
  file: string,
  upperDir: string,
  ids: IdRange,
  limits: { maxBytes: number; maxMembers: number },
): Promise<void> {
  const guard = new SavedLayerGuard(limits.maxBytes, limits.maxMembers);
  const tar = gnuTar(
    [
      "-x",
      "-f",
      "-",
      "-C",
      upperDir,
      "--numeric-owner",
      "--same-owner",
      "--same-permissions",
      "--xattrs",
      "--xattrs-include=trusted.overlay.opaque",
      "--no-acls",
      "--no-selinux",
    ],
    `unpack saved work into ${upperDir}`,
  );
  tar.child.stdout.resume();
  try {
    await Promise.all([
      pipeline(createReadStream(file), createGunzip(), new SnapshotTransform(ids, (e) => guard.check(e)), tar.child.stdin),
      tar.done,
    ]);
  } catch (e) {
    tar.child.kill("SIGKILL");
    throw e;
  }
}

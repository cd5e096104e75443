import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import type { IdRange } from "./idmap";
import { SnapshotTransform } from "./layer-transform";
import { digestHex, MEDIA } from "./oci";

/**
 * Unpacks one Layer into its Snapshot: `<snapshotsDir>/<diffId hex>/`, ids shifted into the
 * sandbox's range and whiteouts in overlayfs form, so Snapshots stack as overlay lowerdirs.
 * Done once per Layer (and id range): a `<hex>.json` beside the directory records a finished unpack.
 * A Snapshot is never written after this: every container shares it read-only.
 */
export interface SnapshotMarker {
  diffId: string;
  uidBase: number;
  uidCount: number;
  /** The Layers below, bottom → top: parents this Layer leaves implicit copy their attributes. */
  lowerDiffIds: string[];
  entries: number;
}

export function snapshotPaths(snapshotsDir: string, diffId: string): { dir: string; marker: string; tmp: string } {
  const hex = digestHex(diffId);
  return {
    dir: path.join(snapshotsDir, hex),
    marker: path.join(snapshotsDir, `${hex}.json`),
    tmp: path.join(snapshotsDir, `.tmp-${hex}-${process.pid}`),
  };
}

export async function isSnapshotReady(snapshotsDir: string, diffId: string, ids: IdRange, lowerDiffIds: string[]): Promise<boolean> {
  const p = snapshotPaths(snapshotsDir, diffId);
  try {
    const m = JSON.parse(await fs.readFile(p.marker, "utf8")) as SnapshotMarker;
    if (
      m.diffId !== diffId ||
      m.uidBase !== ids.base ||
      m.uidCount !== ids.count ||
      JSON.stringify(m.lowerDiffIds) !== JSON.stringify(lowerDiffIds)
    )
      return false;
    return (await fs.stat(p.dir)).isDirectory();
  } catch {
    return false;
  }
}

export function gnuTarExtract(dir: string): { stdin: NodeJS.WritableStream; done: Promise<void> } {
  // --ignore-zeros: read to the end of the input. Without it GNU tar exits as soon as the end marker
  // closes a 10 KiB record, while the pipeline may still be reading the Layer's trailing padding:
  // its next write then fails with "Premature close" (seen once in a fresh-clone `npm test`).
  const child = spawn(
    "tar",
    [
      "-x",
      "--ignore-zeros",
      "-f",
      "-",
      "-C",
      dir,
      "--numeric-owner",
      "--same-owner",
      "--same-permissions",
      "--xattrs",
      "--xattrs-include=*",
      "--no-acls",
    ],
    {
      stdio: ["pipe", "ignore", "pipe"],
    },
  );
  let err = "";
  child.stderr.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", (e) => reject(new Error(`tar could not start (${e.message}): install GNU tar`)));
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`tar failed to unpack a Layer into ${dir} (exit ${code}): ${err.trim()}`)),
    );
  });
  return { stdin: child.stdin, done };
}

/**
 * A Layer names only what changed; tar creates the parents of those entries itself (root, 0755).
 * In an overlay the topmost copy of a directory decides its owner and mode, so such parents must
 * look exactly like the directory below them: copy owner, mode and times from the lower Snapshots.
 */
async function matchImplicitDirs(dir: string, explicit: Set<string>, lowerDirs: string[], ids: IdRange): Promise<number> {
  let fixed = 0;
  const visit = async (rel: string): Promise<void> => {
    const full = rel === "." ? dir : path.join(dir, rel);
    if (!explicit.has(rel)) {
      let like: import("node:fs").Stats | undefined;
      for (const lower of [...lowerDirs].reverse()) {
        like = await fs.lstat(path.join(lower, rel)).catch(() => undefined);
        if (like) break;
      }
      if (like?.isDirectory()) {
        await fs.lchown(full, like.uid, like.gid);
        await fs.chmod(full, like.mode & 0o7777);
        await fs.utimes(full, like.atime, like.mtime);
      } else {
        await fs.lchown(full, ids.base, ids.base);
      }
      fixed++;
    }
    for (const e of await fs.readdir(full, { withFileTypes: true })) {
      if (e.isDirectory()) await visit(rel === "." ? e.name : `${rel}/${e.name}`);
    }
  };
  await visit(".");
  return fixed;
}

export async function unpackSnapshot(opts: {
  blobFile: string;
  mediaType: string;
  diffId: string;
  snapshotsDir: string;
  ids: IdRange;
  lower: { diffId: string; dir: string }[];
}): Promise<string> {
  const p = snapshotPaths(opts.snapshotsDir, opts.diffId);
  const lowerDiffIds = opts.lower.map((l) => l.diffId);
  if (await isSnapshotReady(opts.snapshotsDir, opts.diffId, opts.ids, lowerDiffIds)) return p.dir;
  await fs.mkdir(opts.snapshotsDir, { recursive: true });
  await fs.rm(p.marker, { force: true });
  await fs.rm(p.dir, { recursive: true, force: true });
  await fs.rm(p.tmp, { recursive: true, force: true });
  await fs.mkdir(p.tmp, { mode: 0o755 });
  await fs.chown(p.tmp, opts.ids.base, opts.ids.base); // the layer's "./" entry, if any, overrides

  const hash = createHash("sha256");
  const tap = new PassThrough();
  tap.on("data", (b: Buffer) => hash.update(b));
  const transform = new SnapshotTransform(opts.ids);
  const tar = gnuTarExtract(p.tmp);
  const source = createReadStream(opts.blobFile);
  const unpacked =
    opts.mediaType === MEDIA.layerGzip
      ? pipeline(source, createGunzip(), tap, transform, tar.stdin)
      : pipeline(source, tap, transform, tar.stdin);
  await Promise.all([unpacked, tar.done]);

  const actual = `sha256:${hash.digest("hex")}`;
  if (actual !== opts.diffId) {
    await fs.rm(p.tmp, { recursive: true, force: true });
    throw new Error(
      `Layer ${opts.blobFile} unpacks to ${actual}, but the image config says ${opts.diffId}: the layout is corrupt, rebuild the Image`,
    );
  }
  await matchImplicitDirs(
    p.tmp,
    transform.explicitDirs(),
    opts.lower.map((l) => l.dir),
    opts.ids,
  );
  await fs.rename(p.tmp, p.dir);
  const marker: SnapshotMarker = {
    diffId: opts.diffId,
    uidBase: opts.ids.base,
    uidCount: opts.ids.count,
    lowerDiffIds,
    entries: transform.entries,
  };
  await fs.writeFile(p.marker, JSON.stringify(marker) + "\n");
  return p.dir;
}

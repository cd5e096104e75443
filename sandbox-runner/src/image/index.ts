import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { buildLayout } from "./build";
import { checkIdRange, type IdRange } from "./idmap";
import { withLock } from "./lock";
import { loadDefinition } from "./load-definition";
import { ANNOTATION, blobPath, checkConsistency, findTagged, parseConfig, parseIndex, parseManifest } from "./oci";
import { isSnapshotReady, snapshotPaths, unpackSnapshot } from "./snapshot";
import { DEFAULT_ENV } from "../container/spec";

/**
 * The sandbox Image: built once from its definition (sandbox-runner/image/) into an OCI image
 * layout under the runner's data directory, each Layer unpacked once into a Snapshot that every
 * Container shares read-only. `ensureImage` is cheap when nothing changed.
 */
export interface Layer {
  digest: string;
  diffId: string;
  size: number;
  snapshotDir: string /* unpacked, uid-shifted, read-only */;
}
export interface Image {
  name: string;
  tag: string;
  layoutDir: string /* OCI image layout */;
  manifestDigest: string;
  configDigest: string;
  layers: Layer[] /* bottom → top */;
  /** Its containers' environment: the image config's Env, completed with DEFAULT_ENV (see imageEnv). */
  env: string[];
}
export type ImageProgress = (p: { step: string; done?: number; total?: number }) => void;
export interface EnsureImageOptions {
  runnerDir: string;
  uidBase: number;
  uidCount: number;
  onProgress?: ImageProgress;
  /** Folder holding definition.json and the course files (default: sandbox-runner/image). */
  definitionDir?: string;
}

export function imagePaths(runnerDir: string) {
  const root = path.join(runnerDir, "image");
  return {
    root,
    layout: path.join(root, "oci"),
    snapshots: path.join(root, "snapshots"),
    work: path.join(root, ".build"),
    aptCache: path.join(root, "apt-cache"),
    lock: path.join(root, ".lock"),
  };
}

/** Reads the stored layout; undefined when missing, unreadable, or built from another definition. */
async function readStored(layoutDir: string, tag: string, definitionHash: string) {
  try {
    const index = parseIndex(await fs.readFile(path.join(layoutDir, "index.json"), "utf8"));
    const desc = findTagged(index, tag);
    if (!desc || desc.annotations?.[ANNOTATION.definition] !== definitionHash) return undefined;
    const manifest = parseManifest(await fs.readFile(path.join(layoutDir, blobPath(desc.digest)), "utf8"));
    const config = parseConfig(await fs.readFile(path.join(layoutDir, blobPath(manifest.config.digest)), "utf8"));
    checkConsistency(manifest, config);
    return { manifestDigest: desc.digest, manifest, config };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}

async function ensureImageLocked(opts: EnsureImageOptions, ids: IdRange, progress: ImageProgress): Promise<Image> {
  const p = imagePaths(opts.runnerDir);
  const { def, hash, files } = await loadDefinition(opts.definitionDir);
  let stored = await readStored(p.layout, def.tag, hash);
  if (!stored) {
    progress({ step: `building Image ${def.name}:${def.tag} (definition ${hash.slice(7, 19)})` });
    const built = await buildLayout({
      def,
      definitionHash: hash,
      files,
      workDir: p.work,
      aptCacheDir: p.aptCache,
      onProgress: progress,
      previousLayout: existsSync(path.join(p.layout, "index.json")) ? p.layout : undefined,
    });
    // Swap the finished layout in: the old one (if any) moves aside first, then goes.
    const old = `${p.layout}.old`;
    await fs.rm(old, { recursive: true, force: true });
    await fs.rename(p.layout, old).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== "ENOENT") throw e;
    });
    await fs.rename(built, p.layout);
    await fs.rm(old, { recursive: true, force: true });
    await fs.rm(p.work, { recursive: true, force: true });
    stored = await readStored(p.layout, def.tag, hash);
    if (!stored) throw new Error(`the Image built into ${p.layout} cannot be read back: see the build output above`);
  }

  const layers: Layer[] = [];
  const { manifest, config } = stored;
  for (const [i, d] of manifest.layers.entries()) {
    const diffId = config.rootfs.diff_ids[i]!;
    const lowerDiffIds = config.rootfs.diff_ids.slice(0, i);
    if (!(await isSnapshotReady(p.snapshots, diffId, ids, lowerDiffIds))) {
      progress({
        step: `snapshot ${i + 1}/${manifest.layers.length}: unpacking ${d.digest.slice(7, 19)} (ids shifted by ${ids.base})`,
        done: i,
        total: manifest.layers.length,
      });
      await unpackSnapshot({
        blobFile: path.join(p.layout, blobPath(d.digest)),
        mediaType: d.mediaType,
        diffId,
        snapshotsDir: p.snapshots,
        ids,
        lower: layers.map((l) => ({ diffId: l.diffId, dir: l.snapshotDir })),
      });
    }
    layers.push({ digest: d.digest, diffId, size: d.size, snapshotDir: snapshotPaths(p.snapshots, diffId).dir });
  }
  progress({ step: "snapshots", done: layers.length, total: layers.length });
  await removeStaleSnapshots(p.snapshots, new Set(layers.map((l) => path.basename(l.snapshotDir))));
  return {
    name: def.name,
    tag: def.tag,
    layoutDir: p.layout,
    manifestDigest: stored.manifestDigest,
    configDigest: manifest.config.digest,
    layers,
    env: imageEnv(config.config?.Env),
  };
}

/**
 * The environment of the Image's containers: its config's Env when that sets a PATH, with every
 * DEFAULT_ENV variable it does not set; DEFAULT_ENV alone for a config without a usable Env.
 */
export function imageEnv(configEnv: unknown): string[] {
  const env = Array.isArray(configEnv) ? configEnv.filter((e): e is string => typeof e === "string") : [];
  const name = (e: string) => e.split("=")[0];
  return env.some((e) => e.startsWith("PATH="))
    ? [...env, ...DEFAULT_ENV.filter((d) => !env.some((e) => name(e) === name(d)))]
    : DEFAULT_ENV;
}

/** Snapshots of Layers no longer in the Image, and half-unpacked ones from a crash. */
async function removeStaleSnapshots(dir: string, keep: Set<string>): Promise<void> {
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    const base = name.replace(/\.json$/, "");
    if (keep.has(base)) continue;
    await fs.rm(path.join(dir, name), { recursive: true, force: true });
  }
}

const inFlight = new Map<string, Promise<Image>>();

/**
 * Returns the current Image, building it first when the definition changed (or it was never
 * built) and unpacking any missing Snapshot. Safe to call concurrently and from several processes.
 * Note: a running Container's overlay still uses the Snapshots it was started with; removing a
 * stale Snapshot under it is the caller's concern only when the definition changes while running.
 */
export function ensureImage(opts: EnsureImageOptions): Promise<Image> {
  const key = path.resolve(opts.runnerDir);
  const running = inFlight.get(key);
  if (running) return running;
  const ids = { base: opts.uidBase, count: opts.uidCount };
  const progress: ImageProgress = opts.onProgress ?? (() => {});
  const job = (async () => {
    checkIdRange(ids);
    const p = imagePaths(key);
    await fs.mkdir(p.root, { recursive: true });
    return withLock(
      p.lock,
      () => progress({ step: `waiting for another build of the Image (lock ${p.lock})` }),
      () => ensureImageLocked({ ...opts, runnerDir: key }, ids, progress),
    );
  })().finally(() => inFlight.delete(key));
  inFlight.set(key, job);
  return job;
}

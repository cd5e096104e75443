import fs from "node:fs/promises";
import path from "node:path";
import { cumulativePackages, isPackagesLayer, type CourseFile, type ImageDefinition } from "./definition";
import {
  ANNOTATION,
  blobPath,
  buildConfig,
  buildIndex,
  buildManifest,
  checkConsistency,
  MEDIA,
  OCI_LAYOUT_FILE,
  ociArchitecture,
  parseConfig,
  parseIndex,
  parseManifest,
  sha256Digest,
  toBlob,
  findTagged,
  type Descriptor,
} from "./oci";
import { runTool } from "./run";
import { mirrorArgsFor, parseAptSources } from "./sources";

/**
 * Builds the Image's OCI layout from its definition, in `workDir` (the caller moves the finished
 * layout into place, so a crash never leaves a half Image that looks done):
 *  1. one mmdebstrap root filesystem per packages layer, each with all packages up to that layer,
 *     built in parallel (Debian's packages, the host's apt mirror);
 *  2. umoci turns them into Layers: unpack an empty image into a bundle, put the next root
 *     filesystem in the bundle, `umoci repack` records the difference (whiteouts included);
 *  3. the files layers copy the course files into the bundle and repack once more;
 *  4. our own config, manifest and index (name, tag, definition hash), then `umoci gc`.
 */
export type Progress = (p: { step: string; done?: number; total?: number }) => void;

const WORK_TAG = "build";

/** Documentation, manuals and translations are not what the lessons look at: leave them out. */
const DPKG_OPTS = [
  "path-exclude=/usr/share/man/*",
  "path-exclude=/usr/share/doc/*",
  "path-include=/usr/share/doc/*/copyright",
  "path-exclude=/usr/share/info/*",
  "path-exclude=/usr/share/locale/*",
  "path-include=/usr/share/locale/locale.alias",
  "path-include=/usr/share/locale/pt_BR/*",
];

async function hostAptSources(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const read = async (f: string) => (out[path.basename(f)] = await fs.readFile(f, "utf8").catch(() => ""));
  await read("/etc/apt/sources.list");
  for (const f of await fs.readdir("/etc/apt/sources.list.d").catch(() => [] as string[]))
    await read(path.join("/etc/apt/sources.list.d", f));
  return out;
}

async function mmdebstrap(
  def: ImageDefinition,
  packages: string[],
  target: string,
  mirrors: string[],
  cacheDir: string,
  onLine: (l: string) => void,
): Promise<void> {
  await fs.mkdir(cacheDir, { recursive: true });
  const args = [
    // Downloaded packages are kept between runs (the layers above reuse the ones below, and a
    // rebuild after a course-file change downloads nothing): mmdebstrap's documented recipe.
    "--skip=essential/unlink",
    `--setup-hook=mkdir -p "$1/var/cache/apt/archives/"`,
    `--setup-hook=sync-in ${cacheDir} /var/cache/apt/archives/`,
    `--customize-hook=sync-out /var/cache/apt/archives ${cacheDir}`,
    `--variant=${def.variant}`,
    "--mode=root",
    "--format=directory",
    ...(packages.length ? [`--include=${packages.join(",")}`] : []),
    ...DPKG_OPTS.map((o) => `--dpkgopt=${o}`),
    // The runtime sets the hostname; the sandbox has no DNS: the host's copies do not belong here.
    `--customize-hook=rm -f "$1/etc/resolv.conf" "$1/etc/hostname"`,
    def.suite,
    target,
    ...mirrors,
  ];
  await runTool("mmdebstrap", args, { env: { SOURCE_DATE_EPOCH: String(def.sourceDateEpoch) }, onLine });
  // Device nodes do not belong in an image: the runtime mounts its own /dev.
  const dev = path.join(target, "dev");
  for (const e of await fs.readdir(dev).catch(() => [] as string[])) await fs.rm(path.join(dev, e), { recursive: true, force: true });
}

async function copyCourseFiles(files: CourseFile[], rootfs: string, mtime: number): Promise<void> {
  for (const f of files) {
    const dest = path.join(rootfs, f.path);
    if (!dest.startsWith(rootfs + path.sep)) throw new Error(`course file ${f.path} escapes the root filesystem`);
    // New directories get 0755 root; existing ones (e.g. /root, 0700) keep their mode and owner.
    await fs.mkdir(path.dirname(dest), { recursive: true, mode: 0o755 });
    await fs.rm(dest, { force: true }); // a symlink here would otherwise be followed
    await fs.writeFile(dest, f.content, { mode: f.executable ? 0o755 : 0o644 });
    await fs.chmod(dest, f.executable ? 0o755 : 0o644);
    await fs.chown(dest, 0, 0);
    await fs.utimes(dest, mtime, mtime);
  }
}

/** The layout is bind-mounted read-only into every sandbox, whose root is an unprivileged host id. */
async function makeReadable(dir: string): Promise<void> {
  await fs.chmod(dir, 0o755);
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) await makeReadable(full);
    else await fs.chmod(full, 0o644);
  }
}

async function readJson(file: string): Promise<string> {
  return fs.readFile(file, "utf8");
}

async function writeBlob(layout: string, doc: unknown, mediaType: string, annotations?: Record<string, string>): Promise<Descriptor> {
  const bytes = toBlob(doc);
  const digest = sha256Digest(bytes);
  await fs.writeFile(path.join(layout, blobPath(digest)), bytes);
  return { mediaType, digest, size: bytes.length, ...(annotations ? { annotations } : {}) };
}

export async function buildLayout(opts: {
  def: ImageDefinition;
  definitionHash: string;
  files: CourseFile[];
  workDir: string;
  aptCacheDir: string;
  onProgress: Progress;
}): Promise<string> {
  const { def, workDir, onProgress } = opts;
  const started = Date.now();
  const created = new Date().toISOString();
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(workDir, { recursive: true });

  const mirrors = mirrorArgsFor(def.suite, parseAptSources(await hostAptSources()));
  onProgress({ step: `mirrors: ${mirrors.length ? mirrors.join(" | ") : "mmdebstrap's default (deb.debian.org)"}` });

  // 1. Root filesystems, one per packages layer, one after the other: in parallel they fight over
  //    two cores and download the same packages twice (53 s against about 35 s measured).
  const pkgLayers = def.layers.map((l, i) => ({ l, i })).filter(({ l }) => isPackagesLayer(l));
  let finished = 0;
  onProgress({ step: "packages", done: 0, total: pkgLayers.length });
  const rootfsOf = (i: number) => path.join(workDir, `rootfs-${i}`);
  for (const { l, i } of pkgLayers) {
    await mmdebstrap(def, cumulativePackages(def, i), rootfsOf(i), mirrors, opts.aptCacheDir, (line) => {
      if (line.startsWith("I: ") || line.startsWith("E: ") || line.startsWith("W: "))
        onProgress({ step: `packages ${l.name}: ${line.slice(3)}` });
    });
    onProgress({ step: `packages ${l.name}: root filesystem ready`, done: ++finished, total: pkgLayers.length });
  }

  // 2–3. Layers through umoci: each repack stores the difference to the previous state.
  const layout = path.join(workDir, "oci");
  const bundle = path.join(workDir, "bundle");
  const image = `${layout}:${WORK_TAG}`;
  await runTool("umoci", ["init", "--layout", layout]);
  await runTool("umoci", ["new", "--image", image]);
  await runTool("umoci", ["unpack", "--image", image, bundle]);
  const rootfs = path.join(bundle, "rootfs");
  const total = def.layers.length;
  for (const [i, l] of def.layers.entries()) {
    onProgress({ step: `layer ${l.name}: computing the difference and compressing`, done: i, total });
    let createdBy: string;
    if (isPackagesLayer(l)) {
      await fs.rm(rootfs, { recursive: true, force: true });
      await fs.rename(rootfsOf(i), rootfs);
      const added = l.packages.length ? ` --include=${l.packages.join(",")}` : "";
      createdBy = `mmdebstrap --variant=${def.variant}${added} ${def.suite}`;
    } else {
      const mine = opts.files.filter((f) => f.layer === l.name);
      await copyCourseFiles(mine, rootfs, def.sourceDateEpoch);
      createdBy = `COPY ${l.files}/ / (${mine.length} files)`;
    }
    await runTool("umoci", [
      "repack",
      "--refresh-bundle",
      "--history.created",
      created,
      "--history.created_by",
      createdBy,
      "--history.comment",
      `${l.name}: ${l.description}`,
      "--image",
      image,
      bundle,
    ]);
  }
  onProgress({ step: "layers", done: total, total });

  // 4. Our own config, manifest and index over umoci's layers.
  const umociIndex = parseIndex(await readJson(path.join(layout, "index.json")));
  const umociManifestDesc = findTagged(umociIndex, WORK_TAG);
  if (!umociManifestDesc) throw new Error("umoci produced no tagged manifest");
  const umociManifest = parseManifest(await readJson(path.join(layout, blobPath(umociManifestDesc.digest))));
  const umociConfig = parseConfig(await readJson(path.join(layout, blobPath(umociManifest.config.digest))));
  if (umociManifest.layers.length !== total) throw new Error(`expected ${total} layers, umoci produced ${umociManifest.layers.length}`);

  const config = buildConfig({
    architecture: ociArchitecture(process.arch),
    created,
    env: def.config.Env,
    entrypoint: def.config.Entrypoint,
    cmd: def.config.Cmd,
    workingDir: def.config.WorkingDir,
    labels: { ...def.config.Labels, "aprendendo-docker.image.definition": opts.definitionHash },
    diffIds: umociConfig.rootfs.diff_ids,
    history: (umociConfig.history ?? []).filter((h) => !h.empty_layer),
  });
  const configDesc = await writeBlob(layout, config, MEDIA.config);
  const layers: Descriptor[] = umociManifest.layers.map((d, i) => ({ ...d, annotations: { [ANNOTATION.layerName]: def.layers[i]!.name } }));
  const manifest = buildManifest(configDesc, layers, {
    [ANNOTATION.created]: created,
    [ANNOTATION.title]: def.name,
    [ANNOTATION.definition]: opts.definitionHash,
  });
  checkConsistency(manifest, config);
  const manifestDesc = await writeBlob(layout, manifest, MEDIA.manifest, {
    [ANNOTATION.refName]: def.tag,
    [ANNOTATION.imageName]: `${def.name}:${def.tag}`,
    [ANNOTATION.definition]: opts.definitionHash,
  });
  await fs.writeFile(path.join(layout, "index.json"), toBlob(buildIndex(manifestDesc)));
  await fs.writeFile(path.join(layout, "oci-layout"), OCI_LAYOUT_FILE + "\n");
  await runTool("umoci", ["gc", "--layout", layout]);
  await makeReadable(layout);
  onProgress({ step: `layout built in ${((Date.now() - started) / 1000).toFixed(1)} s` });

  await fs.rm(bundle, { recursive: true, force: true });
  for (const { i } of pkgLayers) await fs.rm(rootfsOf(i), { recursive: true, force: true });
  return layout;
}

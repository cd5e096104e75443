import fs from "node:fs/promises";
import path from "node:path";
import { isImagesLayer, isPackagesLayer, layerKeys, type CourseFile, type EngineImage, type ImageDefinition } from "./definition";
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
import { unmountAll } from "../container/mounts";
import { runTool } from "./run";
import { mirrorArgsFor, parseAptSources } from "./sources";

/**
 * Builds the Image's OCI layout from its definition, in `workDir` (the caller moves the finished
 * layout into place, so a crash never leaves a half Image that looks done). Each Layer is built on
 * the one below it, in one root filesystem that umoci diffs after every step, so a Layer costs only
 * its own work:
 *  1. the first packages layer: mmdebstrap bootstraps the base system (Debian's packages, the
 *     host's apt mirror);
 *  2. every further packages layer: `apt-get install` of its own packages inside that root
 *     filesystem (a chroot in a private mount namespace);
 *  3. images layers: the engine installed below writes base images into a read-only image store;
 *  4. files layers: the course files are copied in;
 *  after each step `umoci repack` records the difference (whiteouts included) as the Layer;
 *  5. our own config, manifest and index (name, tag, definition hash), then `umoci gc`.
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

/**
 * mmdebstrap runs its helpers (mmtarfilter, a python script, once per package) through PATH: the
 * system's own tools, not a user's wrappers (a pyenv shim there cost ~1 s per package on a loaded machine).
 */
const SYSTEM_PATH = "/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin";

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
  await runTool("mmdebstrap", args, { env: { SOURCE_DATE_EPOCH: String(def.sourceDateEpoch), PATH: SYSTEM_PATH }, onLine });
  // Device nodes do not belong in an image: the runtime mounts its own /dev.
  const dev = path.join(target, "dev");
  for (const e of await fs.readdir(dev).catch(() => [] as string[])) await fs.rm(path.join(dev, e), { recursive: true, force: true });
}

/** Files a package installation leaves behind that are not part of what was installed (mmdebstrap's own cleanup list). */
const APT_LEFTOVERS = [
  "var/log/dpkg.log",
  "var/log/apt/history.log",
  "var/log/apt/term.log",
  "var/log/apt/eipp.log.xz",
  "var/log/alternatives.log",
  "var/cache/ldconfig/aux-cache",
  "var/cache/apt/pkgcache.bin",
  "var/cache/apt/srcpkgcache.bin",
  "etc/resolv.conf",
  "usr/sbin/policy-rc.d",
];

async function cleanRootfs(rootfs: string): Promise<void> {
  for (const f of APT_LEFTOVERS) await fs.rm(path.join(rootfs, f), { force: true });
  const lists = path.join(rootfs, "var/lib/apt/lists");
  for (const e of await fs.readdir(lists).catch(() => [] as string[]))
    if (e !== "lock" && e !== "partial") await fs.rm(path.join(lists, e), { recursive: true, force: true });
  for (const d of ["run", "tmp", "var/tmp", "var/cache/debconf"])
    for (const e of await fs.readdir(path.join(rootfs, d)).catch(() => [] as string[]))
      if (d !== "var/cache/debconf" || e.endsWith("-old")) await fs.rm(path.join(rootfs, d, e), { recursive: true, force: true });
}

/**
 * Runs `script` (sh, `$1` = the root filesystem, then `args`) in a private mount namespace where
 * the root filesystem has /proc, the host's /dev and resolv.conf: whatever the build mounts there
 * goes away with the namespace, even when the build is killed halfway.
 */
async function inBuildNamespace(
  rootfs: string,
  script: string,
  args: string[],
  onLine: (l: string) => void,
  env: Record<string, string> = {},
) {
  const setup = [
    "set -eu",
    "r=$1; shift",
    // The root filesystem as a mount point of its own: chroot's "/" must be one for tools that
    // remount it (containers/storage makes "/" private before unpacking a layer).
    'mount --bind "$r" "$r"',
    'mount -t proc proc "$r/proc"',
    'mount --rbind /dev "$r/dev"',
    // apt inside resolves the mirror's name with the host's resolver; the file goes when done.
    ': > "$r/etc/resolv.conf"',
    '[ ! -e /etc/resolv.conf ] || mount --bind /etc/resolv.conf "$r/etc/resolv.conf"',
    // Services are never started at build time (invoke-rc.d asks this file).
    'printf "#!/bin/sh\\nexit 101\\n" > "$r/usr/sbin/policy-rc.d"; chmod 755 "$r/usr/sbin/policy-rc.d"',
  ].join("\n");
  await runTool("unshare", ["--mount", "--propagation", "private", "--fork", "sh", "-c", `${setup}\n${script}`, "build", rootfs, ...args], {
    env: { DEBIAN_FRONTEND: "noninteractive", LC_ALL: "C.UTF-8", PATH: SYSTEM_PATH, ...env },
    onLine,
  });
}

/** Installs `packages` (and what they depend on, no recommends, as mmdebstrap does) into `rootfs`. */
async function aptInstall(def: ImageDefinition, rootfs: string, packages: string[], cacheDir: string, onLine: (l: string) => void) {
  await fs.mkdir(path.join(cacheDir, "partial"), { recursive: true });
  const script = [
    // The downloaded packages are kept between builds in the same cache mmdebstrap uses.
    'mount --bind "$1" "$r/var/cache/apt/archives"; shift',
    'chroot "$r" apt-get update -q',
    'chroot "$r" apt-get install -q -y --no-install-recommends "$@"',
  ].join("\n");
  await inBuildNamespace(rootfs, script, [cacheDir, ...packages], onLine, { SOURCE_DATE_EPOCH: String(def.sourceDateEpoch) });
  await cleanRootfs(rootfs);
}

/** Where the base images live inside the sandbox: the engine's read-only additional image store. */
export const ENGINE_IMAGE_STORE = "/usr/lib/containers/storage";

/** A tar of a tiny root filesystem: the static busybox of `rootfs` and one link per applet. */
async function busyboxTar(rootfs: string, dir: string, out: string, mtime: number): Promise<void> {
  const bin = path.join(dir, "bin");
  await fs.mkdir(bin, { recursive: true });
  const busybox = path.join(rootfs, "usr/bin/busybox");
  await fs.copyFile(busybox, path.join(bin, "busybox"));
  await fs.chmod(path.join(bin, "busybox"), 0o755);
  let applets = "";
  await runTool(path.join(bin, "busybox"), ["--list"], { onLine: (l) => (applets += l + "\n") });
  for (const a of applets
    .split("\n")
    .map((x) => x.trim())
    .filter((x) => /^[a-z0-9_.[-]+$/.test(x) && x !== "busybox"))
    await fs.symlink("busybox", path.join(bin, a)).catch(() => undefined);
  for (const d of ["etc", "root", "tmp", "proc", "sys", "dev", "var", "home"])
    await fs.mkdir(path.join(dir, d), { recursive: true, mode: 0o755 });
  await fs.chmod(path.join(dir, "tmp"), 0o1777);
  await fs.chmod(path.join(dir, "root"), 0o700);
  await fs.writeFile(path.join(dir, "etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n");
  await fs.writeFile(path.join(dir, "etc/group"), "root:x:0:\nnobody:x:65534:\n");
  await tarDir(dir, out, mtime);
}

async function tarDir(dir: string, out: string, mtime: number): Promise<void> {
  await runTool("tar", ["-C", dir, "--numeric-owner", "--sort=name", `--mtime=@${mtime}`, "--clamp-mtime", "--xattrs", "-cf", out, "."]);
}

/**
 * Imports each base image into the read-only image store at ENGINE_IMAGE_STORE inside `rootfs`,
 * with the podman of the layers below (its own storage code writes the store, so the engine in the
 * sandbox reads exactly what it expects), and tags it.
 */
async function writeImageStore(
  rootfs: string,
  images: EngineImage[],
  sourceTar: (source: string) => Promise<string>,
  onLine: (l: string) => void,
): Promise<void> {
  const inbox = path.join(rootfs, "tmp/curso-images");
  await fs.mkdir(inbox, { recursive: true });
  const args: string[] = [];
  for (const [i, img] of images.entries()) {
    const tar = path.join(inbox, `${i}.tar`);
    await fs.copyFile(await sourceTar(img.source), tar);
    args.push(`/tmp/curso-images/${i}.tar`, `CMD ${JSON.stringify(img.cmd)}`, img.tags.join(" "));
  }
  const script = [
    `p() { chroot "$r" podman --root ${ENGINE_IMAGE_STORE} --runroot /run/curso-build --storage-driver overlay --cgroup-manager cgroupfs --events-backend none "$@"; }`,
    "while [ $# -gt 0 ]; do",
    "  tar=$1; change=$2; tags=$3; shift 3",
    "  first=${tags%% *}",
    '  p import --change "$change" --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" "$tar" "$first"',
    '  for t in $tags; do [ "$t" = "$first" ] || p tag "$first" "$t"; done',
    "done",
    "p images --digests",
  ].join("\n");
  await inBuildNamespace(rootfs, script, args, onLine);
  await fs.rm(path.join(rootfs, "var/lib/containers"), { recursive: true, force: true });
  await fs.mkdir(path.join(rootfs, "var/lib/containers"), { recursive: true, mode: 0o700 });
  await cleanRootfs(rootfs);
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

/** The blob of Layer `at` of the image being built (umoci's tagged manifest in `layout`). */
async function layerBlobOf(layout: string, at: number): Promise<string> {
  const desc = findTagged(parseIndex(await readJson(path.join(layout, "index.json"))), WORK_TAG);
  if (!desc) throw new Error("the layout being built has no tagged manifest");
  const layer = parseManifest(await readJson(path.join(layout, blobPath(desc.digest)))).layers[at];
  if (!layer) throw new Error(`the image being built has no layer ${at + 1} yet`);
  return path.join(layout, blobPath(layer.digest));
}

/**
 * Seeds the new layout with the previous Image's bottom Layers whose keys match `keys`, as an
 * image of just those Layers tagged WORK_TAG (umoci unpacks it and repacks on top). Returns how
 * many were reused (0: build from scratch).
 */
async function startFromPrevious(previous: string, keys: string[], layout: string): Promise<number> {
  const index = parseIndex(await readJson(path.join(previous, "index.json")));
  const desc = index.manifests[0];
  if (!desc) return 0;
  const manifest = parseManifest(await readJson(path.join(previous, blobPath(desc.digest))));
  const config = parseConfig(await readJson(path.join(previous, blobPath(manifest.config.digest))));
  let k = 0;
  while (k < keys.length && k < manifest.layers.length && manifest.layers[k]!.annotations?.[ANNOTATION.layerKey] === keys[k]) k++;
  if (k === 0) return 0;
  for (const l of manifest.layers.slice(0, k)) {
    const from = path.join(previous, blobPath(l.digest));
    const to = path.join(layout, blobPath(l.digest));
    await fs.link(from, to).catch(() => fs.copyFile(from, to));
  }
  const history = (config.history ?? []).filter((h) => !h.empty_layer).slice(0, k);
  const partConfig = { ...config, rootfs: { type: "layers", diff_ids: config.rootfs.diff_ids.slice(0, k) }, history };
  const configDesc = await writeBlob(layout, partConfig, MEDIA.config);
  const partManifest = { ...manifest, config: configDesc, layers: manifest.layers.slice(0, k) };
  const manifestDesc = await writeBlob(layout, partManifest, MEDIA.manifest, { [ANNOTATION.refName]: WORK_TAG });
  await fs.writeFile(path.join(layout, "index.json"), toBlob(buildIndex(manifestDesc)));
  return k;
}

export async function buildLayout(opts: {
  def: ImageDefinition;
  definitionHash: string;
  files: CourseFile[];
  workDir: string;
  aptCacheDir: string;
  onProgress: Progress;
  /** The Image built before (any definition): its Layers whose keys still match are reused. */
  previousLayout?: string;
}): Promise<string> {
  const { def, workDir, onProgress } = opts;
  const started = Date.now();
  const created = new Date().toISOString();
  // A build killed halfway may leave mmdebstrap's mounts (the host's /dev, /proc, /sys) inside the
  // old work dir: unmount them before removing it, or rm would walk into the host's /dev/shm.
  await unmountAll(workDir);
  await fs.rm(workDir, { recursive: true, force: true });
  await fs.mkdir(workDir, { recursive: true });

  const mirrors = mirrorArgsFor(def.suite, parseAptSources(await hostAptSources()));
  onProgress({ step: `mirrors: ${mirrors.length ? mirrors.join(" | ") : "mmdebstrap's default (deb.debian.org)"}` });

  const layout = path.join(workDir, "oci");
  const bundle = path.join(workDir, "bundle");
  const image = `${layout}:${WORK_TAG}`;
  const keys = layerKeys(def, opts.files);
  await runTool("umoci", ["init", "--layout", layout]);
  const reused = opts.previousLayout ? await startFromPrevious(opts.previousLayout, keys, layout).catch(() => 0) : 0;
  if (reused) onProgress({ step: `reusing ${reused} of ${keys.length} layers from the previous Image (unchanged below)` });
  else await runTool("umoci", ["new", "--image", image]);
  await runTool("umoci", ["unpack", "--image", image, bundle]);
  const rootfs = path.join(bundle, "rootfs");
  const total = def.layers.length;
  // Tars the base images are imported from: the busybox tree, or a packages layer's own blob.
  const tars = new Map<string, string>();
  const sourceTar = async (source: string): Promise<string> => {
    const known = tars.get(source);
    if (known) return known;
    let out: string;
    if (source === "busybox") {
      out = path.join(workDir, "busybox.tar");
      await busyboxTar(rootfs, path.join(workDir, "busybox-rootfs"), out, def.sourceDateEpoch);
    } else {
      const at = def.layers.findIndex((x) => `layer:${x.name}` === source);
      if (at < 0) throw new Error(`base image source ${source} names no layer`);
      out = path.join(workDir, `layer-${at}.tar`);
      await runTool("sh", ["-c", 'gzip -dc "$1" > "$2"', "gunzip", await layerBlobOf(layout, at), out]);
    }
    tars.set(source, out);
    return out;
  };
  const layerStarted = Date.now();
  for (const [i, l] of def.layers.entries()) {
    if (i < reused) continue;
    const t0 = Date.now();
    const say = (line: string) => onProgress({ step: `layer ${l.name}: ${line}`, done: i, total });
    const aptLine = (line: string) => {
      if (/^(I|E|W): /.test(line)) say(line.slice(3));
      else if (/^(Get|Setting up|Unpacking|Err|E:|W:)/.test(line)) say(line);
    };
    let createdBy: string;
    if (isPackagesLayer(l)) {
      if (i === 0) {
        await fs.rm(rootfs, { recursive: true, force: true });
        await mmdebstrap(def, l.packages, rootfs, mirrors, opts.aptCacheDir, aptLine);
        const added = l.packages.length ? ` --include=${l.packages.join(",")}` : "";
        createdBy = `mmdebstrap --variant=${def.variant}${added} ${def.suite}`;
      } else {
        await aptInstall(def, rootfs, l.packages, opts.aptCacheDir, aptLine);
        createdBy = `apt-get install --no-install-recommends ${l.packages.join(" ")}`;
      }
    } else if (isImagesLayer(l)) {
      await writeImageStore(rootfs, l.images, sourceTar, (line) => say(line));
      createdBy = `podman import into ${ENGINE_IMAGE_STORE}: ${l.images.map((img) => img.tags.join(" ")).join(", ")}`;
    } else {
      const mine = opts.files.filter((f) => f.layer === l.name);
      await copyCourseFiles(mine, rootfs, def.sourceDateEpoch);
      createdBy = `COPY ${l.files}/ / (${mine.length} files)`;
    }
    say("computing the difference and compressing");
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
    onProgress({ step: `layer ${l.name}: done in ${((Date.now() - t0) / 1000).toFixed(1)} s`, done: i + 1, total });
  }
  onProgress({ step: `layers built in ${((Date.now() - layerStarted) / 1000).toFixed(1)} s` });
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
  const layers: Descriptor[] = umociManifest.layers.map((d, i) => ({
    ...d,
    annotations: { [ANNOTATION.layerName]: def.layers[i]!.name, [ANNOTATION.layerKey]: keys[i]! },
  }));
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
  for (const t of tars.values()) await fs.rm(t, { force: true });
  await fs.rm(path.join(workDir, "busybox-rootfs"), { recursive: true, force: true });
  return layout;
}

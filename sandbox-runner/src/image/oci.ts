import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The OCI image layout's JSON documents (image-spec v1.1: image-layout.md, image-index.md,
 * manifest.md, config.md, annotations.md): built from plain values, and read back with checks.
 * Pure: no file access here.
 */

export const MEDIA = {
  index: "application/vnd.oci.image.index.v1+json",
  manifest: "application/vnd.oci.image.manifest.v1+json",
  config: "application/vnd.oci.image.config.v1+json",
  layerGzip: "application/vnd.oci.image.layer.v1.tar+gzip",
  layerTar: "application/vnd.oci.image.layer.v1.tar",
} as const;

export const ANNOTATION = {
  refName: "org.opencontainers.image.ref.name",
  created: "org.opencontainers.image.created",
  title: "org.opencontainers.image.title",
  /** containerd's convention for the full image name; `ctr`/nerdctl show it. */
  imageName: "io.containerd.image.name",
  /** Ours: the hash of the Image definition this layout was built from (decides rebuilds). */
  definition: "aprendendo-docker.image.definition",
  /** Ours, on each layer descriptor: the definition's name of the layer. */
  layerName: "aprendendo-docker.image.layer",
  /** What the Layer was built from (definition.ts layerKeys): a rebuild reuses Layers whose key matches. */
  layerKey: "aprendendo-docker.image.layer.key",
} as const;

export const OCI_LAYOUT_FILE = JSON.stringify({ imageLayoutVersion: "1.0.0" });

const digestSchema = z.string().regex(/^sha256:[a-f0-9]{64}$/, "must be sha256:<64 hex>");
const descriptorSchema = z.object({
  mediaType: z.string(),
  digest: digestSchema,
  size: z.number().int().nonnegative(),
  annotations: z.record(z.string(), z.string()).optional(),
  platform: z.object({ architecture: z.string(), os: z.string() }).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

const indexSchema = z.object({ schemaVersion: z.literal(2), mediaType: z.string().optional(), manifests: z.array(descriptorSchema) });
const manifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});
const historySchema = z.object({
  created: z.string().optional(),
  created_by: z.string().optional(),
  comment: z.string().optional(),
  empty_layer: z.boolean().optional(),
});
const configSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  created: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  rootfs: z.object({ type: z.literal("layers"), diff_ids: z.array(digestSchema) }),
  history: z.array(historySchema).optional(),
});
export type OciIndex = z.infer<typeof indexSchema>;
export type OciManifest = z.infer<typeof manifestSchema>;
export type OciConfig = z.infer<typeof configSchema>;
export type OciHistory = z.infer<typeof historySchema>;

export function sha256Digest(data: Buffer | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

export function digestHex(digest: string): string {
  return digestSchema.parse(digest).slice("sha256:".length);
}

/** Where a blob lives inside the layout. */
export function blobPath(digest: string): string {
  return `blobs/sha256/${digestHex(digest)}`;
}

function parseWith<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${what} is not valid JSON: rebuild the Image (npm run image:build)`);
  }
  const r = schema.safeParse(json);
  if (!r.success)
    throw new Error(
      `${what} is not a valid OCI document (${r.error.issues[0]?.path.join(".")}: ${r.error.issues[0]?.message}): rebuild the Image`,
    );
  return r.data;
}
export const parseIndex = (text: string) => parseWith(indexSchema, text, "index.json");
export const parseManifest = (text: string) => parseWith(manifestSchema, text, "the image manifest");
export const parseConfig = (text: string) => parseWith(configSchema, text, "the image config");

/** The manifest descriptor tagged `tag` in an index, or undefined. */
export function findTagged(index: OciIndex, tag: string): Descriptor | undefined {
  return index.manifests.find((m) => m.annotations?.[ANNOTATION.refName] === tag);
}

export interface ImageConfigInput {
  architecture: string;
  created: string;
  env: string[];
  entrypoint?: string[];
  cmd?: string[];
  workingDir?: string;
  labels: Record<string, string>;
  diffIds: string[];
  history: OciHistory[];
}

export function buildConfig(c: ImageConfigInput): OciConfig {
  if (c.history.filter((h) => !h.empty_layer).length !== c.diffIds.length) {
    throw new Error(`image config: ${c.diffIds.length} layers but ${c.history.length} history entries`);
  }
  const config: Record<string, unknown> = { Env: c.env, Labels: c.labels };
  if (c.entrypoint) config.Entrypoint = c.entrypoint;
  if (c.cmd) config.Cmd = c.cmd;
  if (c.workingDir) config.WorkingDir = c.workingDir;
  return {
    created: c.created,
    architecture: c.architecture,
    os: "linux",
    config,
    rootfs: { type: "layers", diff_ids: c.diffIds },
    history: c.history,
  };
}

export function buildManifest(config: Descriptor, layers: Descriptor[], annotations: Record<string, string>): OciManifest {
  return { schemaVersion: 2, mediaType: MEDIA.manifest, config, layers, annotations };
}

export function buildIndex(manifest: Descriptor): OciIndex {
  return { schemaVersion: 2, mediaType: MEDIA.index, manifests: [manifest] };
}

/** Serialized exactly once: the digest is of these bytes. */
export function toBlob(doc: unknown): Buffer {
  return Buffer.from(JSON.stringify(doc, null, 2) + "\n");
}

/** Node's process.arch → the GOARCH names OCI uses. */
export function ociArchitecture(nodeArch: string): string {
  const map: Record<string, string> = {
    x64: "amd64",
    arm64: "arm64",
    arm: "arm",
    ia32: "386",
    ppc64: "ppc64le",
    s390x: "s390x",
    riscv64: "riscv64",
  };
  const a = map[nodeArch];
  if (!a) throw new Error(`unsupported architecture ${nodeArch}`);
  return a;
}

/** Checks the chain manifest → config → diff_ids (one diff_id per layer). */
export function checkConsistency(manifest: OciManifest, config: OciConfig): void {
  if (manifest.config.mediaType !== MEDIA.config) throw new Error(`manifest config has media type ${manifest.config.mediaType}`);
  if (config.rootfs.diff_ids.length !== manifest.layers.length) {
    throw new Error(
      `manifest has ${manifest.layers.length} layers but the config lists ${config.rootfs.diff_ids.length} diff_ids: rebuild the Image`,
    );
  }
  for (const l of manifest.layers) {
    if (l.mediaType !== MEDIA.layerGzip && l.mediaType !== MEDIA.layerTar)
      throw new Error(`layer ${l.digest} has unsupported media type ${l.mediaType}`);
  }
}

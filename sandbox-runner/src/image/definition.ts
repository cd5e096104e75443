import { createHash } from "node:crypto";
import { z } from "zod";

/**
 * The Image definition (sandbox-runner/image/definition.json) as a typed value, and its hash.
 * The hash decides whether a stored Image is still current: it covers the definition, every course
 * file (path, executable bit, content) and the build recipe's version. Pure.
 */

/** Bump when the build itself changes in a way that must produce a new Image. */
export const RECIPE_VERSION = 2;

const packageName = z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, "must be a Debian package name");

/** A full image reference as the engine stores it: registry/repository:tag (short names resolve to docker.io/library). */
const imageRef = z
  .string()
  .regex(
    /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/,
    "must be a full image reference like docker.io/library/busybox:latest",
  );

/**
 * A base image for the engine inside the sandbox. `source` says what its single layer holds:
 * "busybox" (a static busybox and its applet links, from the busybox-static package below) or
 * "layer:NAME" (the root filesystem as it stood after that packages layer, e.g. the minbase system).
 */
const engineImageSchema = z
  .object({
    source: z.union([z.literal("busybox"), z.string().regex(/^layer:[^\s]+$/, 'must be "busybox" or "layer:<packages layer name>"')]),
    tags: z.array(imageRef).min(1),
    cmd: z.array(z.string()).min(1),
  })
  .strict();

const layerSchema = z.union([
  z.object({ name: z.string().min(1), description: z.string().default(""), packages: z.array(packageName) }).strict(),
  z.object({ name: z.string().min(1), description: z.string().default(""), files: z.string().min(1) }).strict(),
  z.object({ name: z.string().min(1), description: z.string().default(""), images: z.array(engineImageSchema).min(1) }).strict(),
]);

export const definitionSchema = z
  .object({
    $comment: z.string().optional(),
    name: z.string().regex(/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, "must be a lowercase image name like org/name"),
    tag: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "must be a valid tag"),
    suite: z.string().min(1),
    variant: z.enum(["minbase", "apt", "essential", "required", "important", "standard"]),
    sourceDateEpoch: z.number().int().nonnegative(),
    layers: z.array(layerSchema).min(1),
    config: z
      .object({
        Env: z.array(z.string()).default([]),
        Entrypoint: z.array(z.string()).optional(),
        Cmd: z.array(z.string()).optional(),
        WorkingDir: z.string().optional(),
        Labels: z.record(z.string(), z.string()).default({}),
      })
      .strict(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const names = d.layers.map((l) => l.name);
    if (new Set(names).size !== names.length) ctx.addIssue({ code: "custom", message: `layer names must be unique: ${names.join(", ")}` });
    if (!("packages" in d.layers[0]!))
      ctx.addIssue({ code: "custom", message: "the first layer must be a packages layer (the base system)" });
    let seenFiles = false;
    let seenImages = false;
    for (const l of d.layers) {
      if ("files" in l) seenFiles = true;
      else if ("images" in l) {
        seenImages = true;
        // The store is written by the engine installed below it, from packages layers below it.
        for (const img of l.images) {
          const from = img.source.startsWith("layer:") ? img.source.slice("layer:".length) : undefined;
          if (from !== undefined && !d.layers.some((x) => x.name === from && "packages" in x))
            ctx.addIssue({ code: "custom", message: `images layer "${l.name}": ${img.source} names no packages layer` });
        }
      } else if (seenFiles) ctx.addIssue({ code: "custom", message: `packages layer "${l.name}" must come before the files layers` });
      else if (seenImages) ctx.addIssue({ code: "custom", message: `packages layer "${l.name}" must come before the images layers` });
    }
  });

export type ImageDefinition = z.infer<typeof definitionSchema>;
export type PackagesLayer = Extract<ImageDefinition["layers"][number], { packages: string[] }>;
export type FilesLayer = Extract<ImageDefinition["layers"][number], { files: string }>;
export type ImagesLayer = Extract<ImageDefinition["layers"][number], { images: unknown[] }>;
export type EngineImage = ImagesLayer["images"][number];

export function isImagesLayer(l: ImageDefinition["layers"][number]): l is ImagesLayer {
  return "images" in l;
}

export function isPackagesLayer(l: ImageDefinition["layers"][number]): l is PackagesLayer {
  return "packages" in l;
}

export function parseDefinition(json: unknown, where = "definition.json"): ImageDefinition {
  const r = definitionSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`Invalid Image definition ${where}:\n${lines.join("\n")}\nFix the file and build again.`);
  }
  return r.data;
}

/** A course file as it goes into a files layer. `path` is relative to the layer's folder, "/"-separated. */
export interface CourseFile {
  layer: string;
  path: string;
  executable: boolean;
  content: Buffer;
}

export function definitionHash(def: ImageDefinition, files: CourseFile[]): string {
  const h = createHash("sha256");
  h.update(`recipe ${RECIPE_VERSION}\n`);
  h.update(JSON.stringify(def));
  const sorted = [...files].sort((a, b) => (a.layer + "\0" + a.path < b.layer + "\0" + b.path ? -1 : 1));
  for (const f of sorted) {
    h.update(`\nfile ${f.layer} ${JSON.stringify(f.path)} ${f.executable ? "x" : "-"} ${f.content.length}\n`);
    h.update(f.content);
  }
  return `sha256:${h.digest("hex")}`;
}

/** Packages a packages layer installs on top of all the layers below it (cumulative include list). */
export function cumulativePackages(def: ImageDefinition, uptoIndex: number): string[] {
  const out: string[] = [];
  def.layers.slice(0, uptoIndex + 1).forEach((l) => {
    if (isPackagesLayer(l)) for (const p of l.packages) if (!out.includes(p)) out.push(p);
  });
  return out;
}

/**
 * One key per Layer: what that Layer's content depends on (the recipe, the suite, and every layer
 * definition and course file at or below it). A rebuild reuses the stored Layers whose keys match,
 * bottom up, and builds only from the first that differs: changing a course file rebuilds the
 * course Layer alone, adding a packages layer costs only its own packages. Pure.
 */
export function layerKeys(def: ImageDefinition, files: CourseFile[]): string[] {
  const h = createHash("sha256");
  h.update(`recipe ${RECIPE_VERSION}\n${JSON.stringify({ suite: def.suite, variant: def.variant, epoch: def.sourceDateEpoch })}`);
  return def.layers.map((l) => {
    h.update(`\nlayer ${JSON.stringify(l)}`);
    const mine = files.filter((f) => f.layer === l.name).sort((a, b) => (a.path < b.path ? -1 : 1));
    for (const f of mine) {
      h.update(`\nfile ${JSON.stringify(f.path)} ${f.executable ? "x" : "-"} ${f.content.length}\n`);
      h.update(f.content);
    }
    return `sha256:${h.copy().digest("hex")}`;
  });
}

import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import { definitionHash, parseDefinition, type CourseFile, type ImageDefinition } from "./definition";

/** sandbox-runner/image, found from this file (src/image → ../../image) or from the repo root. */
export function defaultDefinitionDir(): string {
  const here = typeof __dirname === "string" ? __dirname : process.cwd();
  const candidates = [path.resolve(here, "../../image"), path.resolve(process.cwd(), "sandbox-runner/image")];
  return candidates.find((c) => existsSync(path.join(c, "definition.json"))) ?? candidates[1]!;
}

async function walk(dir: string, rel = ""): Promise<{ rel: string; full: string }[]> {
  const out: { rel: string; full: string }[] = [];
  for (const e of (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(dir, r)));
    else if (e.isFile()) out.push({ rel: r, full: path.join(dir, r) });
    else throw new Error(`${path.join(dir, r)}: only regular files and folders can go into the Image's course files`);
  }
  return out;
}

/** Reads definition.json and every course file it names, and hashes them together. */
export async function loadDefinition(
  dir = defaultDefinitionDir(),
): Promise<{ def: ImageDefinition; hash: string; files: CourseFile[]; dir: string }> {
  const file = path.join(dir, "definition.json");
  let json: unknown;
  try {
    json = JSON.parse(await fs.readFile(file, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read the Image definition ${file}: ${(err as Error).message}`);
  }
  const def = parseDefinition(json, file);
  const files: CourseFile[] = [];
  for (const l of def.layers) {
    if (!("files" in l)) continue;
    const root = path.resolve(dir, l.files);
    for (const f of await walk(root)) {
      const st = await fs.stat(f.full);
      files.push({ layer: l.name, path: f.rel, executable: (st.mode & 0o100) !== 0, content: await fs.readFile(f.full) });
    }
  }
  return { def, hash: definitionHash(def, files), files, dir };
}

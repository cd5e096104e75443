import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { cumulativePackages, definitionHash, layerKeys, parseDefinition, type CourseFile } from "./definition";

const real = JSON.parse(readFileSync(path.join(__dirname, "../../image/definition.json"), "utf8"));
const file = (p: string, content: string, executable = false): CourseFile => ({
  layer: "course",
  path: p,
  executable,
  content: Buffer.from(content),
});

describe("the Image definition", () => {
  it("the repository's definition is valid and has base, tools and course layers with what the lessons need", () => {
    const def = parseDefinition(real);
    expect(def.layers.map((l) => l.name)).toEqual(["base", "tools", "engine", "images", "course"]);
    const all = cumulativePackages(def, 1);
    for (const p of ["tini", "util-linux", "procps", "iproute2", "busybox-static", "jq", "less", "tree"]) expect(all).toContain(p);
  });

  it("has the engine (docker = podman) and base images with full references, built from layers below", () => {
    const def = parseDefinition(real);
    const all = cumulativePackages(def, 2);
    for (const p of ["podman", "podman-docker", "buildah", "skopeo", "crun", "docker-registry"]) expect(all).toContain(p);
    const images = def.layers.find((l) => l.name === "images");
    expect(images && "images" in images ? images.images.flatMap((i) => i.tags) : []).toEqual(
      expect.arrayContaining(["docker.io/library/busybox:latest", "docker.io/library/debian:bookworm-slim"]),
    );
    const bad = { name: "images", images: [{ source: "layer:nope", tags: ["docker.io/library/x:1"], cmd: ["sh"] }] };
    expect(() => parseDefinition({ ...real, layers: [real.layers[0], bad] })).toThrow(/layer:nope names no packages layer/);
    const short = { name: "images", images: [{ source: "busybox", tags: ["busybox"], cmd: ["sh"] }] };
    expect(() => parseDefinition({ ...real, layers: [real.layers[0], short] })).toThrow(/must be a full image reference/);
    const late = { name: "late", packages: ["jq"] };
    expect(() => parseDefinition({ ...real, layers: [real.layers[0], short, late] })).toThrow();
  });

  it("names what is wrong", () => {
    expect(() => parseDefinition({ ...real, tag: "no spaces" })).toThrow(/tag: must be a valid tag/);
    expect(() => parseDefinition({ ...real, layers: [{ name: "course", files: "files" }] })).toThrow(
      /first layer must be a packages layer/,
    );
    expect(() => parseDefinition({ ...real, layers: [...real.layers, { name: "late", packages: ["jq"] }] })).toThrow(
      /must come before the files layers/,
    );
  });

  it("packages accumulate bottom → top", () => {
    const def = parseDefinition({
      ...real,
      layers: [
        { name: "a", packages: ["x1", "x2"] },
        { name: "b", packages: ["x2", "x3"] },
      ],
    });
    expect(cumulativePackages(def, 0)).toEqual(["x1", "x2"]);
    expect(cumulativePackages(def, 1)).toEqual(["x1", "x2", "x3"]);
  });
});

describe("definitionHash", () => {
  const def = parseDefinition(real);
  const files = [file("etc/a", "1"), file("usr/local/bin/b", "2", true)];
  const h = definitionHash(def, files);
  it("is stable and independent of file order", () => {
    expect(definitionHash(def, [...files].reverse())).toBe(h);
    expect(h).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it("changes with a package, a file's content, its executable bit or its name", () => {
    const other = parseDefinition({
      ...real,
      layers: [real.layers[0], { ...real.layers[1], packages: [...real.layers[1].packages, "htop"] }, real.layers[2]],
    });
    expect(definitionHash(other, files)).not.toBe(h);
    expect(definitionHash(def, [file("etc/a", "1!"), files[1]!])).not.toBe(h);
    expect(definitionHash(def, [files[0]!, file("usr/local/bin/b", "2", false)])).not.toBe(h);
    expect(definitionHash(def, [file("etc/A", "1"), files[1]!])).not.toBe(h);
  });

  it("layer keys change from the first changed layer up, never below it (what a rebuild may reuse)", () => {
    const def = parseDefinition(real);
    const files = [file("etc/a", "one")];
    const keys = layerKeys(def, files);
    expect(keys).toHaveLength(def.layers.length);
    expect(new Set(keys).size).toBe(keys.length);
    expect(layerKeys(def, files)).toEqual(keys);
    // A course file changes only the course layer's key.
    const changedFile = layerKeys(def, [file("etc/a", "two")]);
    expect(changedFile.slice(0, -1)).toEqual(keys.slice(0, -1));
    expect(changedFile.at(-1)).not.toBe(keys.at(-1));
    // A package added to the tools layer (index 1) changes it and every layer above.
    const layers = def.layers.map((l, i) => (i === 1 && "packages" in l ? { ...l, packages: [...l.packages, "strace"] } : l));
    const changedPkg = layerKeys({ ...def, layers }, files);
    expect(changedPkg[0]).toBe(keys[0]);
    for (let i = 1; i < keys.length; i++) expect(changedPkg[i]).not.toBe(keys[i]);
    // The suite changes everything.
    expect(layerKeys({ ...def, suite: "trixie" }, files)[0]).not.toBe(keys[0]);
  });
});

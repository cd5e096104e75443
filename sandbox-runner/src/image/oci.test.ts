import { describe, expect, it } from "vitest";
import {
  ANNOTATION,
  blobPath,
  buildConfig,
  buildIndex,
  buildManifest,
  checkConsistency,
  findTagged,
  MEDIA,
  ociArchitecture,
  parseConfig,
  parseIndex,
  parseManifest,
  sha256Digest,
  toBlob,
} from "./oci";

const d = (c: string) => `sha256:${c.repeat(64)}`;

describe("OCI documents", () => {
  const config = buildConfig({
    architecture: "amd64",
    created: "2025-05-20T00:00:00Z",
    env: ["PATH=/bin"],
    entrypoint: ["/usr/bin/tini", "--"],
    cmd: ["/bin/bash"],
    workingDir: "/root",
    labels: { a: "b" },
    diffIds: [d("1"), d("2")],
    history: [{ created_by: "base" }, { created_by: "tools" }],
  });
  const configBytes = toBlob(config);
  const configDesc = { mediaType: MEDIA.config, digest: sha256Digest(configBytes), size: configBytes.length };
  const manifest = buildManifest(
    configDesc,
    [
      { mediaType: MEDIA.layerGzip, digest: d("a"), size: 10 },
      { mediaType: MEDIA.layerGzip, digest: d("b"), size: 20 },
    ],
    { [ANNOTATION.definition]: d("f") },
  );
  const mBytes = toBlob(manifest);
  const index = buildIndex({
    mediaType: MEDIA.manifest,
    digest: sha256Digest(mBytes),
    size: mBytes.length,
    annotations: { [ANNOTATION.refName]: "latest" },
  });

  it("round-trip through their parsers and stay consistent", () => {
    expect(parseConfig(configBytes.toString())).toEqual(config);
    expect(parseManifest(mBytes.toString())).toEqual(manifest);
    const idx = parseIndex(toBlob(index).toString());
    expect(findTagged(idx, "latest")?.digest).toBe(sha256Digest(mBytes));
    expect(findTagged(idx, "other")).toBeUndefined();
    expect(() => checkConsistency(manifest, config)).not.toThrow();
    expect(config.config).toMatchObject({ Entrypoint: ["/usr/bin/tini", "--"], WorkingDir: "/root", Env: ["PATH=/bin"] });
  });

  it("catch a manifest whose layers do not match the config's diff_ids", () => {
    expect(() => checkConsistency({ ...manifest, layers: manifest.layers.slice(1) }, config)).toThrow(
      /1 layers but the config lists 2 diff_ids/,
    );
  });

  it("refuse history that does not match the layers", () => {
    expect(() => buildConfig({ architecture: "amd64", created: "x", env: [], labels: {}, diffIds: [d("1")], history: [] })).toThrow(
      /history/,
    );
  });

  it("reject malformed documents with a hint", () => {
    expect(() => parseIndex("{")).toThrow(/not valid JSON: rebuild/);
    expect(() =>
      parseManifest(JSON.stringify({ schemaVersion: 2, config: { mediaType: "x", digest: "md5:1", size: 1 }, layers: [] })),
    ).toThrow(/config.digest/);
  });

  it("blob paths and architectures", () => {
    expect(blobPath(d("c"))).toBe(`blobs/sha256/${"c".repeat(64)}`);
    expect(() => blobPath("sha256:../../etc")).toThrow();
    expect(ociArchitecture("x64")).toBe("amd64");
    expect(ociArchitecture("arm64")).toBe("arm64");
  });
});

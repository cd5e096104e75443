import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureImage, type Image } from "./index";
import { ANNOTATION, blobPath, parseConfig, parseIndex, parseManifest } from "./oci";
import { unpackSnapshot } from "./snapshot";
import { writeTar, type TarEntry } from "./tar-format";

// The Image is built once into .data/test/runner and reused by later runs (cached by definition hash).
const runnerDir = path.resolve(__dirname, "../../../.data/test/runner");
const ids = { uidBase: 100000, uidCount: 65536 };

async function sha256File(file: string): Promise<string> {
  const h = createHash("sha256");
  await pipeline(createReadStream(file), h);
  return `sha256:${h.digest("hex")}`;
}

/** Finds `rel` in the topmost Snapshot that has it, as the overlay would. */
function inImage(image: Image, rel: string): string | undefined {
  for (const l of [...image.layers].reverse()) {
    const p = path.join(l.snapshotDir, rel);
    try {
      lstatSync(p);
      return p;
    } catch {
      /* not in this layer */
    }
  }
  return undefined;
}

let image: Image;
const steps: string[] = [];

beforeAll(async () => {
  const started = Date.now();
  image = await ensureImage({ runnerDir, ...ids, onProgress: (p) => steps.push(p.step) });
  console.log(`ensureImage (first call of this run): ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000);

describe("the sandbox Image", () => {
  it("has at least three layers, bottom → top, each with a Snapshot", () => {
    expect(image.name).toBe("aprendendo-docker/sandbox");
    expect(image.tag).toBe("latest");
    expect(image.layers.length).toBeGreaterThanOrEqual(3);
    for (const l of image.layers) expect(lstatSync(l.snapshotDir).isDirectory()).toBe(true);
    expect(steps.at(-1)).toBe("snapshots");
  });

  it("is a valid OCI image layout whose every blob matches its name", async () => {
    expect(JSON.parse(readFileSync(path.join(image.layoutDir, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const blobs = readdirSync(path.join(image.layoutDir, "blobs/sha256"));
    expect(blobs.length).toBe(image.layers.length + 2);
    for (const b of blobs) expect(await sha256File(path.join(image.layoutDir, "blobs/sha256", b))).toBe(`sha256:${b}`);
  });

  it("chains index → manifest → config → diff_ids consistently", async () => {
    const index = parseIndex(readFileSync(path.join(image.layoutDir, "index.json"), "utf8"));
    expect(index.manifests).toHaveLength(1);
    const desc = index.manifests[0]!;
    expect(desc.digest).toBe(image.manifestDigest);
    expect(desc.annotations?.[ANNOTATION.refName]).toBe("latest");
    expect(desc.annotations?.[ANNOTATION.imageName]).toBe("aprendendo-docker/sandbox:latest");
    const manifestText = readFileSync(path.join(image.layoutDir, blobPath(desc.digest)));
    expect(manifestText.length).toBe(desc.size);
    const manifest = parseManifest(manifestText.toString());
    expect(manifest.config.digest).toBe(image.configDigest);
    const config = parseConfig(readFileSync(path.join(image.layoutDir, blobPath(manifest.config.digest)), "utf8"));
    expect(config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    expect(manifest.layers.map((l) => l.digest)).toEqual(image.layers.map((l) => l.digest));
    expect(config.history?.map((h) => h.comment?.split(":")[0])).toEqual(["base", "tools", "engine", "images", "course"]);
    expect(config.config).toMatchObject({ Entrypoint: ["/usr/bin/tini", "--"], WorkingDir: "/root" });
    expect((config.config as { Env: string[] }).Env).toEqual(expect.arrayContaining(["TERM=xterm-256color", "LANG=C.UTF-8"]));
    // Each layer's uncompressed content hashes to its diff_id (gunzip → sha256).
    const top = image.layers.at(-1)!;
    const gunzipped = execFileSync("gzip", ["-dc", path.join(image.layoutDir, blobPath(top.digest))]);
    expect(`sha256:${createHash("sha256").update(gunzipped).digest("hex")}`).toBe(top.diffId);
  });

  it("has the layout readable by the sandbox's unprivileged root (bind-mounted at /oci)", () => {
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        expect(lstatSync(p).mode & 0o004, p).toBe(0o004);
        if (e.isDirectory()) walk(p);
      }
    };
    walk(image.layoutDir);
  });

  it("owns every Snapshot file by the sandbox's ids (≥ uidBase)", () => {
    for (const l of image.layers) {
      const low = execFileSync("find", [
        l.snapshotDir,
        "(",
        "-uid",
        `-${ids.uidBase}`,
        "-o",
        "-gid",
        `-${ids.uidBase}`,
        ")",
        "-print",
        "-quit",
      ]).toString();
      expect(low, `files below uidBase in ${l.snapshotDir}`).toBe("");
    }
    expect(lstatSync(inImage(image, "etc/shadow")!).gid).toBe(ids.uidBase + 42); // group shadow
    expect(lstatSync(inImage(image, "usr/bin/su")!).mode & 0o4000).toBe(0o4000); // setuid survived
    expect(lstatSync(inImage(image, "root")!).mode & 0o777).toBe(0o700); // the course layer kept /root private
  });

  it("contains what the lessons need", () => {
    for (const bin of [
      "usr/bin/busybox",
      "usr/bin/unshare",
      "usr/sbin/chroot",
      "usr/bin/tini",
      "usr/bin/jq",
      "usr/bin/nsenter",
      "usr/bin/ps",
      "usr/sbin/ip",
      "usr/bin/bash",
      "usr/local/bin/curso",
      "usr/bin/podman",
      "usr/bin/docker",
      "usr/local/bin/docker",
      "usr/bin/buildah",
      "usr/bin/skopeo",
      "usr/bin/crun",
      "usr/bin/docker-registry",
      "etc/containers/containers.conf",
      "usr/lib/containers/storage/overlay-images/images.json",
    ]) {
      expect(inImage(image, bin), bin).toBeDefined();
    }
    expect(execFileSync("file", ["-b", inImage(image, "usr/bin/busybox")!]).toString()).toMatch(/statically linked/);
    const shell = readFileSync(inImage(image, "etc/curso/shell.sh")!, "utf8");
    expect(shell).toContain("\\033]133;D;%s\\007");
    expect(shell).toContain("\\033]133;A\\007");
    expect(inImage(image, "etc/resolv.conf")).toBeUndefined();
    expect(readdirSync(inImage(image, "var/cache/apt/archives")!).filter((f) => f.endsWith(".deb"))).toEqual([]);
  });

  it("returns the same Image, fast, when nothing changed", async () => {
    // Fast because nothing is redone (no build, no unpacking): seen in what it reports, not timed.
    const steps: string[] = [];
    const again = await ensureImage({ runnerDir, ...ids, onProgress: (p) => steps.push(p.step) });
    expect(again).toEqual(image);
    expect(steps.filter((s) => !s.startsWith("waiting for another build"))).toEqual(["snapshots"]);
  });
});

describe("Snapshots stack as overlay lower dirs", () => {
  it("turn OCI whiteouts into overlay whiteouts that hide lower files and directories", async () => {
    const tmp = await fs.mkdtemp(path.join(os.tmpdir(), "snapshot-"));
    const mnt = path.join(tmp, "mnt");
    try {
      const e = (over: Partial<TarEntry>): TarEntry => ({
        path: "",
        linkpath: "",
        type: "file",
        mode: 0o644,
        uid: 0,
        gid: 0,
        size: 0,
        mtime: 1,
        devmajor: 0,
        devminor: 0,
        pax: {},
        ...over,
      });
      const lower = writeTar([
        { entry: e({ path: "./", type: "dir", mode: 0o755 }) },
        { entry: e({ path: "keep" }), data: Buffer.from("keep") },
        { entry: e({ path: "gone" }), data: Buffer.from("gone") },
        { entry: e({ path: "d/", type: "dir", mode: 0o750, gid: 5 }) },
        { entry: e({ path: "d/old" }), data: Buffer.from("old") },
      ]);
      const upper = writeTar([
        { entry: e({ path: ".wh.gone" }) },
        { entry: e({ path: "d/.wh..wh..opq" }) },
        { entry: e({ path: "d/new" }), data: Buffer.from("new") },
      ]);
      const hash = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;
      const r = { base: 200000, count: 65536 };
      await fs.writeFile(path.join(tmp, "lower.tar"), lower);
      await fs.writeFile(path.join(tmp, "upper.tar"), upper);
      const snaps = path.join(tmp, "snapshots");
      const lowerDir = await unpackSnapshot({
        blobFile: path.join(tmp, "lower.tar"),
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        diffId: hash(lower),
        snapshotsDir: snaps,
        ids: r,
        lower: [],
      });
      const upperDir = await unpackSnapshot({
        blobFile: path.join(tmp, "upper.tar"),
        mediaType: "application/vnd.oci.image.layer.v1.tar",
        diffId: hash(upper),
        snapshotsDir: snaps,
        ids: r,
        lower: [{ diffId: hash(lower), dir: lowerDir }],
      });

      const wh = lstatSync(path.join(upperDir, "gone"));
      expect(wh.isCharacterDevice()).toBe(true);
      expect(wh.rdev).toBe(0);
      // The implicit parent "d" of the opaque marker looks like the lower "d".
      expect(lstatSync(path.join(upperDir, "d"))).toMatchObject({ uid: 200000, gid: 200005 });
      expect(lstatSync(path.join(upperDir, "d")).mode & 0o777).toBe(0o750);

      await fs.mkdir(mnt);
      execFileSync("mount", ["-t", "overlay", "overlay", "-o", `lowerdir=${upperDir}:${lowerDir}`, mnt]);
      try {
        expect(readdirSync(mnt).sort()).toEqual(["d", "keep"]);
        expect(readdirSync(path.join(mnt, "d"))).toEqual(["new"]); // opaque: "old" hidden
        expect(readFileSync(path.join(mnt, "keep"), "utf8")).toBe("keep");
      } finally {
        execFileSync("umount", [mnt]);
      }
      // A corrupt blob (wrong diff_id) is refused and leaves no Snapshot behind.
      await expect(
        unpackSnapshot({
          blobFile: path.join(tmp, "upper.tar"),
          mediaType: "application/vnd.oci.image.layer.v1.tar",
          diffId: `sha256:${"0".repeat(64)}`,
          snapshotsDir: snaps,
          ids: r,
          lower: [],
        }),
      ).rejects.toThrow(/unpacks to sha256:.*but the image config says/);
      expect(existsSync(path.join(snaps, "0".repeat(64)))).toBe(false);
    } finally {
      await fs.rm(tmp, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Readable } from "node:stream";
import { SnapshotTransform, snapshotEntry } from "./layer-transform";
import { readTarEntries, writeTar, type TarEntry } from "./tar-format";

const ids = { base: 100000, count: 65536 };
const e = (over: Partial<TarEntry>): TarEntry => ({
  path: "a",
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

async function transform(archive: Buffer, chunk: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < archive.length; i += chunk) parts.push(archive.subarray(i, i + chunk));
  const out: Buffer[] = [];
  const t = new SnapshotTransform(ids);
  Readable.from(parts).pipe(t);
  for await (const b of t) out.push(b as Buffer);
  return Buffer.concat(out);
}

const layer = writeTar([
  { entry: e({ path: "./", type: "dir", mode: 0o755 }) },
  { entry: e({ path: "etc/", type: "dir", mode: 0o750, uid: 0, gid: 42 }) },
  { entry: e({ path: "etc/shadow", mode: 0o640, gid: 42 }), data: Buffer.from("root:*:1::::::\n") },
  { entry: e({ path: "etc/.wh.motd" }) },
  { entry: e({ path: "etc/.wh..wh..opq" }) },
  { entry: e({ path: "var/lib/.wh..wh..opq" }) },
  { entry: e({ path: ".wh..wh.plnk" }) },
  { entry: e({ path: "usr/bin/su", mode: 0o4755, uid: 0 }), data: Buffer.alloc(3000, 1) },
  { entry: e({ path: "usr/bin/ping", pax: { "SCHILY.xattr.security.capability": "\u0001\u0000\u0000\u0002" } }), data: Buffer.from("elf") },
  { entry: e({ path: "home/u/", type: "dir", mode: 0o700, uid: 1000, gid: 1000 }) },
]);

describe("SnapshotTransform", () => {
  it("shifts ids, turns whiteouts into overlay ones and keeps data, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4096 }), async (chunk) => {
        const out = readTarEntries(await transform(layer, chunk));
        const byPath = new Map(out.map((o) => [o.entry.path + (o.entry.pax["SCHILY.xattr.trusted.overlay.opaque"] ? "#opq" : ""), o]));
        expect(byPath.get("etc/shadow")!.entry).toMatchObject({ uid: 100000, gid: 100042, mode: 0o640 });
        expect(byPath.get("etc/shadow")!.data.toString()).toBe("root:*:1::::::\n");
        expect(byPath.get("etc/motd")!.entry).toMatchObject({ type: "char", devmajor: 0, devminor: 0, mode: 0, uid: 100000 });
        // The opaque dir restates the dir entry seen before it (mode 0750, group 42 shifted).
        expect(byPath.get("etc/#opq")!.entry).toMatchObject({ type: "dir", mode: 0o750, uid: 100000, gid: 100042 });
        expect(byPath.get("var/lib#opq")!.entry).toMatchObject({ type: "dir", uid: 100000 });
        expect(byPath.get("usr/bin/su")!.entry.mode).toBe(0o4755);
        expect(byPath.get("usr/bin/su")!.data).toEqual(Buffer.alloc(3000, 1));
        expect(byPath.get("usr/bin/ping")!.entry.pax["SCHILY.xattr.security.capability"]).toBe("\u0001\u0000\u0000\u0002");
        expect(byPath.get("home/u/")!.entry).toMatchObject({ uid: 101000, gid: 101000 });
        expect([...byPath.keys()].some((p) => p.includes(".wh."))).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it("refuses a file owned outside the mapped range, naming it", () => {
    expect(() => snapshotEntry(e({ path: "x", uid: 70000 }), ids, new Map())).toThrow(/uid of x 70000 is outside/);
  });

  it("fails on a truncated archive instead of producing half a Snapshot", async () => {
    await expect(transform(layer.subarray(0, 2048 + 100), 512)).rejects.toThrow(/truncated/);
  });
});

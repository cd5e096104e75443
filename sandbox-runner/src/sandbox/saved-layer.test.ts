import { describe, expect, it } from "vitest";
import type { TarEntry } from "../image/tar-format";
import { tarEntry } from "../../test/tar-entry";
import { OPAQUE_XATTR_PAX_KEY } from "../image/whiteout";
import { SavedLayerGuard, unshiftId, upperToLayer } from "./saved-layer";

const ids = { base: 100000, count: 65536 };
const entry = tarEntry;

describe("upperToLayer", () => {
  it("turns overlay whiteouts and opaque dirs into OCI .wh. files, host ids into container ids", () => {
    expect(upperToLayer(entry("./etc/motd", { type: "char", uid: 100000 }), ids)).toEqual([entry("etc/.wh.motd")]);
    const opaque = upperToLayer(
      entry("./root/d/", { type: "dir", mode: 0o755, uid: 101000, gid: 101000, pax: { [OPAQUE_XATTR_PAX_KEY]: "y" } }),
      ids,
    );
    expect(opaque.map((e) => [e.path, e.type, e.uid, e.pax])).toEqual([
      ["root/d/", "dir", 1000, {}],
      ["root/d/.wh..wh..opq", "file", 0, {}],
    ]);
    expect(upperToLayer(entry("./root/a.txt", { uid: 100000, gid: 100005, size: 3, mode: 0o4755 }), ids)).toEqual([
      entry("root/a.txt", { size: 3, gid: 5, mode: 0o4755 }),
    ]);
  });

  it("drops the upper dir itself, devices, foreign ids and every other xattr", () => {
    expect(upperToLayer(entry("./", { type: "dir", uid: 100000 }), ids)).toEqual([]);
    expect(upperToLayer(entry("./dev/sda", { type: "block", devmajor: 8, uid: 100000 }), ids)).toEqual([]);
    expect(upperToLayer(entry("./dev/mem", { type: "char", devmajor: 1, devminor: 1, uid: 100000 }), ids)).toEqual([]);
    expect(upperToLayer(entry("./x", { uid: 0 }), ids)).toEqual([]); // host root's: not the sandbox's
    const [f] = upperToLayer(entry("./bin/p", { uid: 100000, gid: 100000, pax: { "SCHILY.xattr.security.capability": "x" } }), ids);
    expect(f?.pax).toEqual({});
  });

  it("unshiftId maps the range only", () => {
    expect([unshiftId(100000, ids), unshiftId(165535, ids), unshiftId(165536, ids), unshiftId(99999, ids)]).toEqual([
      0,
      65535,
      undefined,
      undefined,
    ]);
  });
});

describe("SavedLayerGuard (a hostile saved layer)", () => {
  const guard = () => new SavedLayerGuard(1024 * 1024, 100);
  const all = (g: SavedLayerGuard, es: TarEntry[]) => es.forEach((e) => g.check(e));

  it("accepts what a sandbox makes: dirs, files, setuid files, symlinks anywhere, hard links, FIFOs, whiteouts", () => {
    expect(() =>
      all(guard(), [
        entry("root/", { type: "dir" }),
        entry("root/a", { size: 10, mode: 0o4755 }),
        entry("root/up", { type: "symlink", linkpath: "/" }),
        entry("root/dots", { type: "symlink", linkpath: "../../../../etc/shadow" }),
        entry("root/b", { type: "hardlink", linkpath: "root/a" }),
        entry("root/fifo", { type: "fifo" }),
        entry("etc/.wh.motd"),
        entry("root/d/.wh..wh..opq"),
      ]),
    ).not.toThrow();
  });

  it.each([
    ["an absolute path", [entry("/etc/passwd")], /absolute/],
    ["a '..' path", [entry("root/../../etc/passwd")], /'\.\.'/],
    [
      "a file through a symlink it made",
      [entry("root/up", { type: "symlink", linkpath: "/" }), entry("root/up/etc/cron.d/x")],
      /not a directory/,
    ],
    ["a whiteout through a symlink", [entry("l", { type: "symlink", linkpath: "/etc" }), entry("l/.wh.passwd")], /not a directory/],
    ["a symlink replaced by a dir", [entry("l", { type: "symlink", linkpath: "/etc" }), entry("l/", { type: "dir" })], /twice/],
    ["a hard link to a host file", [entry("root/h", { type: "hardlink", linkpath: "/etc/shadow" })], /hard link/],
    ["a hard link through ..", [entry("root/h", { type: "hardlink", linkpath: "../etc/shadow" })], /hard link/],
    [
      "a hard link to a symlink",
      [entry("s", { type: "symlink", linkpath: "/" }), entry("h", { type: "hardlink", linkpath: "s" })],
      /hard link/,
    ],
    ["a character device", [entry("dev/kmem", { type: "char", devmajor: 1, devminor: 2 })], /device/],
    ["a raw 0:0 char device (whiteouts come as .wh. files)", [entry("x", { type: "char" })], /device/],
    ["a block device", [entry("dev/sda", { type: "block", devmajor: 8 })], /device/],
    ["a file capability", [entry("bin/p", { pax: { "SCHILY.xattr.security.capability": "\x01" } })], /extended attribute/],
    ["an overlay redirect", [entry("d/", { type: "dir", pax: { "SCHILY.xattr.trusted.overlay.redirect": "/etc" } })], /extended attribute/],
    ["a tar bomb (more bytes than the cap)", [entry("a", { size: 600 * 1024 }), entry("b", { size: 600 * 1024 })], /more than 1 MiB/],
    ["too many entries", Array.from({ length: 101 }, (_, i) => entry(`f${i}`)), /more than 100 entries/],
  ])("refuses %s", (_what, es, why) => {
    expect(() => all(guard(), es)).toThrow(why);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  BLOCK,
  encodePaxRecord,
  parseHeader,
  parsePax,
  readNumber,
  readTarEntries,
  writeNumber,
  writeTar,
  type TarEntry,
} from "./tar-format";

const entry = (over: Partial<TarEntry>): TarEntry => ({
  path: "a",
  linkpath: "",
  type: "file",
  mode: 0o644,
  uid: 0,
  gid: 0,
  size: 0,
  mtime: 1_700_000_000,
  devmajor: 0,
  devminor: 0,
  pax: {},
  ...over,
});

describe("tar numbers", () => {
  it("round-trips octal and base-256 encodings", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (n) => {
        const buf = Buffer.alloc(8);
        writeNumber(buf, 0, 8, n);
        expect(readNumber(buf, 0, 8)).toBe(n);
        expect((buf[0]! & 0x80) !== 0).toBe(n > 0o7777777);
      }),
    );
  });
});

describe("pax records", () => {
  it("keeps a key named __proto__ as a plain key (found by fast-check)", () => {
    expect(parsePax(encodePaxRecord("__proto__", "x"))["__proto__"]).toBe("x");
  });

  it("the length prefix counts the whole record, including its own digits", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((k) => !k.includes("=")),
        fc.string(),
        (k, v) => {
          const rec = encodePaxRecord(k, Buffer.from(v, "utf8").toString("latin1"));
          expect(Number(rec.toString("latin1").split(" ")[0])).toBe(rec.length);
          expect(Buffer.from(parsePax(rec)[k]!, "latin1").toString("utf8")).toBe(v);
        },
      ),
    );
  });
});

describe("headers", () => {
  it("round-trips long paths, big ids, xattrs, devices and links", () => {
    const long = `dir/${"x".repeat(150)}/${"é".repeat(30)}`;
    const entries = [
      {
        entry: entry({ path: long, uid: 4_000_000_000, gid: 3_000_000, pax: { "SCHILY.xattr.user.k": "v\u0000\u00ff" } }),
        data: Buffer.from("hello"),
      },
      { entry: entry({ path: "dev/null", type: "char" as const, mode: 0o666, devmajor: 1, devminor: 3 }) },
      { entry: entry({ path: "l", type: "symlink" as const, mode: 0o777, linkpath: `/${"t".repeat(120)}` }) },
      { entry: entry({ path: "bin/su", mode: 0o4755 }), data: Buffer.alloc(1000, 7) },
      { entry: entry({ path: "h", type: "hardlink" as const, linkpath: "bin/su" }) },
      { entry: entry({ path: "d/", type: "dir" as const, mode: 0o1777 }) },
    ];
    const back = readTarEntries(writeTar(entries));
    expect(back.map((b) => b.entry)).toEqual(entries.map((e) => ({ ...e.entry, size: e.data?.length ?? 0 })));
    expect(back[0]!.data.toString()).toBe("hello");
    expect(back[3]!.data).toEqual(Buffer.alloc(1000, 7));
  });

  it("refuses a block whose checksum is wrong", () => {
    const tar = writeTar([{ entry: entry({}) }]);
    tar[0] = "b".charCodeAt(0);
    expect(() => parseHeader(tar.subarray(0, BLOCK))).toThrow(/checksum/);
  });

  it("reads GNU long names as GNU tar writes them", () => {
    // A GNU "L" header (name "././@LongLink") followed by the real header in GNU format.
    const name = "n".repeat(130);
    const mk = (n: string, flag: string, size: number) => {
      const h = Buffer.alloc(BLOCK);
      h.write(n, 0, 100);
      writeNumber(h, 100, 8, 0o644);
      writeNumber(h, 108, 8, 0);
      writeNumber(h, 116, 8, 0);
      writeNumber(h, 124, 12, size);
      writeNumber(h, 136, 12, 0);
      h.write(flag, 156);
      h.write("ustar  \0", 257, "latin1");
      h.write("        ", 148);
      let sum = 0;
      for (const b of h) sum += b;
      h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
      return h;
    };
    const data = Buffer.alloc(BLOCK);
    data.write(name + "\0");
    const tar = Buffer.concat([mk("././@LongLink", "L", name.length + 1), data, mk(name.slice(0, 100), "0", 0), Buffer.alloc(BLOCK * 2)]);
    expect(readTarEntries(tar).map((e) => e.entry.path)).toEqual([name]);
  });
});

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { gnuTarExtract } from "./snapshot";

/** One 512-byte ustar header for a regular file `name` holding `size` bytes. */
function header(name: string, size: number): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, "utf8");
  h.write("0000644\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write("        ", 148); // checksum computed over spaces
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return h;
}

describe("unpacking a Layer with GNU tar", () => {
  it("reads its input to the end even when the end marker closes a 10 KiB record (no early exit, no Premature close)", async () => {
    // 9 files of one block each (9 × 1 KiB) + the 1 KiB end marker = exactly one 10 KiB record; the
    // source then pauses before its end, as a Layer's gzip trailer and padding can.
    const entries = Array.from({ length: 9 }, (_, i) => Buffer.concat([header(`f${i}`, 3), Buffer.from("hi\n"), Buffer.alloc(509)]));
    const archive = Buffer.concat([...entries, Buffer.alloc(1024)]);
    expect(archive.length).toBe(10 * 1024);
    async function* slowly() {
      yield archive;
      await new Promise((r) => setTimeout(r, 300));
      yield Buffer.alloc(0);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snap-"));
    try {
      const tar = gnuTarExtract(dir);
      await Promise.all([pipeline(Readable.from(slowly()), tar.stdin), tar.done]);
      expect(fs.readdirSync(dir).sort()).toEqual(entries.map((_, i) => `f${i}`).sort());
      expect(fs.readFileSync(path.join(dir, "f0"), "utf8")).toBe("hi\n");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Recorder } from "./recorder";

function tmpFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rec-")), "sb", "t-1.cast");
}

/** The header and events of a cast file. */
function readCast(file: string): [Record<string, unknown>, ...unknown[][]] {
  return fs
    .readFileSync(file, "utf8")
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l)) as [Record<string, unknown>, ...unknown[][]];
}

/** A recorder on a fresh file whose clock the test moves. */
function clocked(): { r: Recorder; file: string; tick: (ms: number) => void } {
  let t = 1_700_000_000_000;
  const file = tmpFile();
  const r = new Recorder({ file, cols: 80, rows: 24, maxBytes: 1 << 20, now: () => t });
  return { r, file, tick: (ms) => void (t += ms) };
}

describe("Recorder", () => {
  it("writes a valid asciicast v2 file", async () => {
    const { r, file, tick } = clocked();
    r.output("hello\r\n");
    tick(1500);
    r.resize(100, 30);
    r.output('ção \x1b[31m"quoted"');
    await r.close();
    const lines = readCast(file);
    expect(lines[0]).toMatchObject({ version: 2, width: 80, height: 24, timestamp: 1_700_000_000 });
    expect(lines.slice(1)).toEqual([
      [0, "o", "hello\r\n"],
      [1.5, "r", "100x30"],
      [1.5, "o", 'ção \x1b[31m"quoted"'],
    ]);
  });

  it("joins output of the same few milliseconds into one event, stamped at its first byte", async () => {
    const { r, file, tick } = clocked();
    r.output("a");
    tick(3);
    r.output("b");
    await new Promise((res) => setTimeout(res, 30)); // the window closes
    tick(2000);
    r.output("c");
    await r.close();
    expect(readCast(file).slice(1)).toEqual([
      [0, "o", "ab"],
      [2.003, "o", "c"],
    ]);
  });

  it("stops at the size cap with a marker and stays under it", async () => {
    const file = tmpFile();
    const r = new Recorder({ file, cols: 80, rows: 24, maxBytes: 4096 });
    let capped = 0;
    r.onCapped = () => capped++;
    for (let i = 0; i < 1000; i++) r.output(`line ${i}\r\n`);
    await r.close();
    const text = fs.readFileSync(file, "utf8");
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(4096);
    expect(r.isCapped).toBe(true);
    expect(capped).toBe(1);
    const last = JSON.parse(text.trimEnd().split("\n").at(-1)!);
    expect(last[1]).toBe("m");
  });
});

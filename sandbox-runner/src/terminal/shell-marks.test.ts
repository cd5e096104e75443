import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ShellMarkParser } from "./shell-marks";

describe("ShellMarkParser", () => {
  it("finds prompt and command-finished marks (BEL and ST terminators)", () => {
    const p = new ShellMarkParser();
    expect(p.push("ls\r\nfile\r\n\x1b]133;D;0\x07\x1b]133;A\x07$ ")).toEqual([
      { type: "command-finished", exitCode: 0 },
      { type: "prompt" },
    ]);
    expect(p.push("\x1b]133;D;127\x1b\\")).toEqual([{ type: "command-finished", exitCode: 127 }]);
    expect(p.push("\x1b]133;D\x07")).toEqual([{ type: "command-finished", exitCode: null }]);
  });

  it("ignores other OSC and CSI sequences", () => {
    const p = new ShellMarkParser();
    expect(p.push("\x1b]0;title\x07\x1b[31mred\x1b[0m\x1b]133;B\x07")).toEqual([]);
  });

  it("yields the same marks however the stream is split", () => {
    const stream = "a\x1b]133;D;2\x07b\x1b[1mc\x1b]133;A\x07\x1b]133;D;0\x1b\\" + "x".repeat(20);
    const expected = new ShellMarkParser().push(stream);
    expect(expected).toHaveLength(3);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 8 }), (cuts) => {
        const sorted = [...new Set(cuts)].sort((a, b) => a - b);
        const p = new ShellMarkParser();
        const got = [];
        let prev = 0;
        for (const c of [...sorted, stream.length]) {
          got.push(...p.push(stream.slice(prev, c)));
          prev = c;
        }
        expect(got).toEqual(expected);
      }),
    );
  });

  it("drops an overlong OSC without growing and recovers", () => {
    const p = new ShellMarkParser();
    expect(p.push("\x1b]133;D;" + "9".repeat(100_000))).toEqual([]);
    expect(p.push("\x07\x1b]133;A\x07")).toEqual([{ type: "prompt" }]);
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 50 })), (chunks) => {
        const p = new ShellMarkParser();
        for (const c of chunks) p.push(c);
      }),
    );
  });
});

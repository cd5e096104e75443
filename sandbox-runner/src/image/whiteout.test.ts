import { describe, expect, it } from "vitest";
import { classifyWhiteout, normalizePath } from "./whiteout";

describe("classifyWhiteout", () => {
  it.each([
    ["etc/.wh.motd", { kind: "whiteout", target: "etc/motd" }],
    ["./.wh.x", { kind: "whiteout", target: "x" }],
    [".wh.x", { kind: "whiteout", target: "x" }],
    ["a/b/.wh..wh..opq", { kind: "opaque", dir: "a/b" }],
    [".wh..wh..opq", { kind: "opaque", dir: "." }],
    ["a/.wh..wh.plnk", { kind: "ignore" }],
    ["a/x.wh.y", { kind: "none" }],
    ["a/.whx", { kind: "none" }],
  ])("%s", (p, want) => expect(classifyWhiteout(p)).toEqual(want));

  it("rejects a whiteout without a name", () => expect(() => classifyWhiteout("a/.wh.")).toThrow(/invalid whiteout/));
  it("normalizes paths", () => {
    expect(normalizePath("./a//b/")).toBe("a/b");
    expect(normalizePath("./")).toBe(".");
  });
});

import { describe, expect, it } from "vitest";
import { CliUsageError, parseCliArgs } from "./cli-args";

describe("parseCliArgs", () => {
  it("reads exec with the command joined and a default timeout", () => {
    expect(parseCliArgs(["exec", "uname", "-r"])).toEqual({ kind: "exec", script: "uname -r", timeoutMs: 60_000 });
    expect(parseCliArgs(["exec", "sleep 1", "--timeout", "2.5"])).toEqual({ kind: "exec", script: "sleep 1", timeoutMs: 2500 });
  });
  it("reads shell and help", () => {
    expect(parseCliArgs(["shell"])).toEqual({ kind: "shell" });
    expect(parseCliArgs([])).toEqual({ kind: "help" });
    expect(parseCliArgs(["--help"])).toEqual({ kind: "help" });
  });
  it("explains each mistake", () => {
    expect(() => parseCliArgs(["exec"])).toThrow(/needs the shell command/);
    expect(() => parseCliArgs(["exec", "ls", "--timeout", "soon"])).toThrow(/--timeout needs a number/);
    expect(() => parseCliArgs(["shel"])).toThrow(CliUsageError);
    expect(() => parseCliArgs(["shell", "x"])).toThrow(/takes no arguments/);
  });
});

import { describe, expect, it } from "vitest";
import { EXIT_MARK_PREFIX, ExitMarkScanner, loginShellCommand } from "./exit-mark";

const mark = (code: number) => `${EXIT_MARK_PREFIX}${code}\x07`;

describe("ExitMarkScanner", () => {
  it("passes ordinary output through untouched", () => {
    const s = new ExitMarkScanner();
    expect(s.push("hello \x1b[1mworld\x1b[0m\r\n")).toEqual({ output: "hello \x1b[1mworld\x1b[0m\r\n" });
    expect(s.push("\x1b]133;A\x07$ ")).toEqual({ output: "\x1b]133;A\x07$ " });
  });

  it("finds the mark, removes it and reports the status", () => {
    const s = new ExitMarkScanner();
    expect(s.push(`logout\r\n${mark(3)}`)).toEqual({ output: "logout\r\n", exitCode: 3 });
    // Nothing after the end counts.
    expect(s.push("late")).toEqual({ output: "" });
  });

  it("finds a mark split at every possible place", () => {
    const whole = `bye\r\n${mark(130)}`;
    for (let cut = 1; cut < whole.length; cut++) {
      const s = new ExitMarkScanner();
      const a = s.push(whole.slice(0, cut));
      const b = s.push(whole.slice(cut));
      expect(a.output + b.output).toBe("bye\r\n");
      expect(a.exitCode ?? b.exitCode).toBe(130);
    }
  });

  it("holds back only what could still become a mark, and gives it back", () => {
    const s = new ExitMarkScanner();
    expect(s.push("abc\x1b]69")).toEqual({ output: "abc" });
    expect(s.push("99;not ours\x07")).toEqual({ output: "\x1b]6999;not ours\x07" });
    expect(s.push("x\x1b")).toEqual({ output: "x" });
    expect(s.flush()).toBe("\x1b");
    const t = new ExitMarkScanner();
    expect(t.push(`${EXIT_MARK_PREFIX}12x`)).toEqual({ output: `${EXIT_MARK_PREFIX}12x` });
  });

  it("builds a wrapper that prints the mark with bash's status", () => {
    const [sh, flag, script] = loginShellCommand();
    expect([sh, flag]).toEqual(["/bin/sh", "-c"]);
    expect(script).toContain("/bin/bash -l;");
    expect(script).toContain("6973;exit;%d");
  });
});

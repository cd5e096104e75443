import { describe, expect, it } from "vitest";
import { EXTRA_REFUSALS } from "../container/seccomp";
import { parseSyscallResults, SYSCALL_NR, syscallScript, type SyscallName } from "./syscalls";

describe("syscallScript", () => {
  it("calls each syscall by its x86_64 number and prints name + errno", () => {
    const s = syscallScript(["bpf", "ptrace"], 4242);
    expect(s).toMatch(/^perl -e '/);
    expect(s).toContain("syscall(321, 0, $buf, 128)");
    expect(s).toContain("syscall(101, 16, $PID, 0, 0)");
    expect(s).toContain("$PID=4242;");
    expect(s.slice(9, -1)).not.toContain("'"); // one shell-quoted word
  });

  it("parses the answer lines and ignores noise", () => {
    expect([...parseSyscallResults("bpf 1\nwarning: x\nptrace 3\n")]).toEqual([
      ["bpf", 1],
      ["ptrace", 3],
    ]);
  });

  it("covers every refusal of the seccomp filter that exists on x86_64", () => {
    const notOnX86_64 = new Set([
      "clock_settime64",
      "clock_adjtime64",
      "stime",
      "query_module",
      "nfsservctl",
      "vhangup",
      "quotactl_fd",
      "io_uring_enter",
      "io_uring_register",
    ]);
    const missing = EXTRA_REFUSALS.filter((n) => !notOnX86_64.has(n) && !(n in SYSCALL_NR));
    expect(missing).toEqual([]);
    expect(Object.keys(SYSCALL_NR).every((n) => syscallScript([n as SyscallName]).includes(`"${n}"`))).toBe(true);
  });
});

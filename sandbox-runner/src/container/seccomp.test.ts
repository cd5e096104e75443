import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allowedSyscalls, EXTRA_REFUSALS, translateSeccompProfile, type EngineSeccompProfile } from "./seccomp";
import { SANDBOX_CAPABILITIES } from "./spec";

const fixture = JSON.parse(readFileSync(path.join(__dirname, "fixtures/engine-seccomp.json"), "utf8")) as EngineSeccompProfile;

describe("translateSeccompProfile", () => {
  const withAdmin = translateSeccompProfile(fixture, { capabilities: ["SYS_ADMIN", "CAP_SYS_CHROOT"], kernelRelease: "6.1.0-13-amd64" });

  it("keeps the default action and the x86_64 architecture family", () => {
    expect(withAdmin.defaultAction).toBe("SCMP_ACT_ERRNO");
    expect(withAdmin.defaultErrnoRet).toBe(38);
    expect(withAdmin.architectures).toEqual(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"]);
  });

  it("includes rules whose capability condition is met and drops the opposite ones", () => {
    const allowed = allowedSyscalls(withAdmin);
    expect(allowed.has("setns")).toBe(true);
    expect(allowed.has("chroot")).toBe(true);
    expect(allowed.has("init_module")).toBe(false); // SYS_MODULE is not granted
    const noAdmin = translateSeccompProfile(fixture, { capabilities: [] });
    expect(allowedSyscalls(noAdmin).has("setns")).toBe(false);
    expect(noAdmin.syscalls.some((r) => r.action === "SCMP_ACT_ERRNO" && r.names.includes("chroot"))).toBe(true);
  });

  it("filters by architecture and kernel version", () => {
    const allowed = allowedSyscalls(withAdmin);
    expect(allowed.has("arch_prctl")).toBe(true);
    expect(allowed.has("cacheflush")).toBe(false);
    expect(allowed.has("futex_waitv")).toBe(true);
    const old = translateSeccompProfile(fixture, { capabilities: [], kernelRelease: "5.10.0" });
    expect(allowedSyscalls(old).has("futex_waitv")).toBe(false);
  });

  it("keeps argument conditions", () => {
    const p = withAdmin.syscalls.find((r) => r.names.includes("personality"));
    expect(p?.args).toEqual([{ index: 0, value: 8, valueTwo: 0, op: "SCMP_CMP_EQ" }]);
  });

  it("refuses bpf, perf_event_open, keyctl... even when SYS_ADMIN would allow them, in exactly one rule", () => {
    const allowed = allowedSyscalls(withAdmin);
    for (const name of ["bpf", "perf_event_open", "keyctl", "syslog", "kexec_load"]) {
      expect(allowed.has(name), name).toBe(false);
      const rules = withAdmin.syscalls.filter((r) => r.names.includes(name));
      expect(rules, name).toHaveLength(1);
      expect(rules[0]).toMatchObject({ action: "SCMP_ACT_ERRNO", errnoRet: 1 });
    }
  });

  it("with Debian's containers-common profile and our capabilities, nothing dangerous is allowed", () => {
    const file = "/usr/share/containers/seccomp.json";
    if (!existsSync(file)) return expect.fail(`${file} missing: apt-get install golang-github-containers-common`);
    const real = JSON.parse(readFileSync(file, "utf8")) as EngineSeccompProfile;
    const s = translateSeccompProfile(real, { capabilities: SANDBOX_CAPABILITIES, kernelRelease: "6.1.0" });
    const allowed = allowedSyscalls(s);
    for (const name of EXTRA_REFUSALS) expect(allowed.has(name), name).toBe(false);
    for (const name of ["mount", "unshare", "clone", "chroot", "pivot_root", "setns", "umount2"])
      expect(allowed.has(name), name).toBe(true);
    const seen = new Map<string, string>();
    for (const r of s.syscalls.filter((x) => !x.args)) {
      for (const n of r.names) {
        if (seen.has(n)) expect(seen.get(n), `conflicting unconditional rules for ${n}`).toBe(r.action);
        seen.set(n, r.action);
      }
    }
  });
});

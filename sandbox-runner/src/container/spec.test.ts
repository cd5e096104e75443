import { describe, expect, it } from "vitest";
import {
  buildOciConfig,
  cpuBandwidth,
  DEFAULT_INIT,
  initWithTerminal,
  sandboxHostname,
  SANDBOX_CAPABILITIES,
  type SandboxSpec,
} from "./spec";
import { SpecValidationError, validateOciConfig } from "./validate";

const seccomp = { defaultAction: "SCMP_ACT_ERRNO", architectures: ["SCMP_ARCH_X86_64"], syscalls: [] };
const base: SandboxSpec = {
  id: "abcdef0123456789",
  hostname: sandboxHostname("abcdef0123456789"),
  rootfs: "/data/sandboxes/abc/rootfs",
  uidBase: 100000,
  uidCount: 65536,
  memoryBytes: 64 * 1024 * 1024,
  memorySwapBytes: 64 * 1024 * 1024,
  pids: 64,
  cpus: 0.5,
  cgroupsPath: "/aprendendo-x/abc",
  ociLayoutDir: "/data/image/oci",
  seccomp,
};

describe("buildOciConfig", () => {
  const c = buildOciConfig(base);

  it("maps root inside to the unprivileged range and creates every namespace", () => {
    expect(c.linux.uidMappings).toEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    expect(c.linux.gidMappings).toEqual([{ containerID: 0, hostID: 100000, size: 65536 }]);
    expect(c.linux.namespaces.map((n) => n.type).sort()).toEqual(["cgroup", "ipc", "mount", "network", "pid", "user", "uts"]);
    expect(c.linux.namespaces.every((n) => n.path === undefined)).toBe(true);
  });

  it("joins the user namespace the runner made when given one; sets no rlimits (runc starts under them)", () => {
    const j = buildOciConfig({ ...base, userNamespacePath: "/proc/42/ns/user" });
    expect(j.linux.namespaces.find((n) => n.type === "user")).toEqual({ type: "user", path: "/proc/42/ns/user" });
    expect(j.linux.namespaces.filter((n) => n.path)).toHaveLength(1);
    expect(j.linux.uidMappings).toEqual(c.linux.uidMappings);
    expect(c.process.rlimits).toEqual([]);
    expect(() => validateOciConfig(j, { seccompRequired: true })).not.toThrow();
  });

  it("throttles reads and writes, bytes and operations, on the given device only when asked", () => {
    expect(c.linux.resources.blockIO).toBeUndefined();
    const t = buildOciConfig({ ...base, blockIO: { major: 254, minor: 0, bytesPerSecond: 1048576, iops: 100 } });
    expect(t.linux.resources.blockIO).toEqual({
      throttleReadBpsDevice: [{ major: 254, minor: 0, rate: 1048576 }],
      throttleWriteBpsDevice: [{ major: 254, minor: 0, rate: 1048576 }],
      throttleReadIOPSDevice: [{ major: 254, minor: 0, rate: 100 }],
      throttleWriteIOPSDevice: [{ major: 254, minor: 0, rate: 100 }],
    });
  });

  it("names the host after the sandbox", () => {
    expect(c.hostname).toBe("sandbox-abcdef01");
  });

  it("sets limits: memory with no swap, pids, cpu quota", () => {
    expect(c.linux.resources.memory).toEqual({ limit: 67108864, swap: 67108864 });
    expect(c.linux.resources.pids.limit).toBe(64);
    expect(c.linux.resources.cpu).toEqual({ quota: 50000, period: 100000 });
  });

  it("grants only the listed capabilities, none ambient, and no new privileges", () => {
    expect(c.process.capabilities.bounding).toEqual([...SANDBOX_CAPABILITIES]);
    expect(c.process.capabilities.ambient).toEqual([]);
    expect(c.process.noNewPrivileges).toBe(true);
  });

  it("mounts the OCI layout read-only at /oci and masks nothing under /proc (nested /proc), only host hardware under /sys", () => {
    expect(c.mounts.find((m) => m.destination === "/oci")).toMatchObject({
      source: "/data/image/oci",
      options: expect.arrayContaining(["ro", "nosuid", "nodev", "noexec"]),
    });
    expect(c.mounts.find((m) => m.destination === "/sys")?.options).toContain("ro");
    expect(c.linux.maskedPaths.filter((p) => p.startsWith("/proc"))).toEqual([]);
    expect(c.linux.maskedPaths).toEqual(["/sys/firmware", "/sys/devices/virtual/powercap", "/sys/kernel/vmcoreinfo"]);
    expect(c.linux.readonlyPaths).toEqual([]);
  });

  it("passes validation", () => {
    expect(() => validateOciConfig(c, { seccompRequired: true })).not.toThrow();
  });
});

describe("validateOciConfig", () => {
  const fresh = () => buildOciConfig(base);
  const rejects = (mutate: (c: ReturnType<typeof fresh>) => void, check: string, seccompRequired = true) => {
    const c = fresh();
    mutate(c);
    let err: unknown;
    try {
      validateOciConfig(c, { seccompRequired });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SpecValidationError);
    expect((err as SpecValidationError).check).toBe(check);
  };

  it("rejects a missing user namespace or a mapping to host root", () => {
    rejects((c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== "user")), "userNamespace");
    rejects((c) => (c.linux.uidMappings = [{ containerID: 0, hostID: 0, size: 65536 }]), "userNamespace");
  });

  it("rejects joining a host namespace", () => {
    rejects((c) => c.linux.namespaces.push({ type: "network", path: "/proc/1/ns/net" }), "namespaces");
    // The user namespace may be joined only as /proc/<pid>/ns/user (the runner's own, see userns.ts).
    rejects(
      (c) => (c.linux.namespaces = c.linux.namespaces.map((n) => (n.type === "user" ? { type: "user", path: "/run/x" } : n))),
      "namespaces",
    );
    rejects((c) => (c.linux.namespaces = c.linux.namespaces.filter((n) => n.type !== "network")), "namespaces");
  });

  it("rejects extra capabilities", () => {
    rejects((c) => c.process.capabilities.bounding.push("CAP_SYS_MODULE"), "capabilities");
    rejects((c) => c.process.capabilities.ambient.push("CAP_CHOWN"), "capabilities");
  });

  it("rejects a missing seccomp filter unless disabled on purpose", () => {
    rejects((c) => delete c.linux.seccomp, "seccomp");
    const c = fresh();
    delete c.linux.seccomp;
    expect(() => validateOciConfig(c, { seccompRequired: false })).not.toThrow();
  });

  it("rejects missing limits, swap, and writable host binds", () => {
    rejects((c) => (c.linux.resources.memory.limit = 0), "limits");
    rejects((c) => (c.linux.resources.memory.swap = 2 * c.linux.resources.memory.limit), "limits");
    rejects((c) => (c.linux.resources.pids.limit = 0), "limits");
    rejects((c) => c.mounts.push({ destination: "/host", type: "bind", source: "/", options: ["rbind"] }), "hostBindMounts");
    rejects((c) => (c.process.noNewPrivileges = false), "noNewPrivileges");
  });
});

describe("initWithTerminal", () => {
  it("starts the shell first, with its variables, then becomes the same init as DEFAULT_INIT, named init", () => {
    const args = initWithTerminal(["/bin/sh", "-c", "bash -l"], ["TERM=xterm-256color", "CURSO_LANG=en"]);
    expect(args.slice(0, 2)).toEqual(["/bin/bash", "-c"]);
    const become = DEFAULT_INIT[2]!.slice(DEFAULT_INIT[2]!.indexOf("exec -a init"));
    expect(args[2]!.endsWith(become)).toBe(true);
    // The loop comes on the init's stdin (a here-document), never in its argv.
    expect(become).toMatch(/^exec -a init \/bin\/sh <<'INIT'\nexec <\/dev\/null; trap ''.*\nINIT$/);
    expect(args[2]!.indexOf("env --default-signal")).toBeLessThan(args[2]!.indexOf("exec -a init"));
    expect(args.slice(3)).toEqual(["init", "TERM=xterm-256color", "CURSO_LANG=en", "/bin/sh", "-c", "bash -l"]);
  });

  it("refuses a variable that is not NAME=value", () => {
    expect(() => initWithTerminal(["/bin/bash"], ["-i"])).toThrow(/NAME=value/);
    expect(() => initWithTerminal(["/bin/bash"], ["lower=x"])).toThrow(/NAME=value/);
  });

  it("gives the engine a size-capped tmpfs at /var/lib/containers, inodes capped too, only when asked", () => {
    expect(buildOciConfig(base).mounts.find((x) => x.destination === "/var/lib/containers")).toBeUndefined();
    const e = buildOciConfig({ ...base, engineStorageMb: 96 });
    const mt = e.mounts.find((x) => x.destination === "/var/lib/containers");
    expect(mt).toEqual({
      destination: "/var/lib/containers",
      type: "tmpfs",
      source: "tmpfs",
      options: ["nosuid", "nodev", "mode=0700", "size=96m", `nr_inodes=${96 * 256}`],
    });
    expect(() => validateOciConfig(e, { seccompRequired: true })).not.toThrow();
  });
});

describe("cpuBandwidth", () => {
  it("quota is the cores' share of the period; the burst a share of that quota, never above it", () => {
    expect(cpuBandwidth(0.5, 1, 100_000)).toEqual({ quotaUs: 50_000, burstUs: 50_000 });
    expect(cpuBandwidth(0.5, 0.25, 100_000)).toEqual({ quotaUs: 50_000, burstUs: 12_500 });
    expect(cpuBandwidth(0.5, 0, 100_000)).toEqual({ quotaUs: 50_000, burstUs: 0 });
    expect(cpuBandwidth(0.5, 3, 100_000).burstUs).toBe(50_000);
    // The kernel's floor for a quota is 1 ms.
    expect(cpuBandwidth(0.001, 1, 100_000)).toEqual({ quotaUs: 1000, burstUs: 1000 });
  });
});

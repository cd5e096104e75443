/**
 * Small check functions over a generated config.json (runc's configs/validate habit). Run before every
 * `runc run`: a bug in spec generation must fail loudly, never start a weaker sandbox.
 */
import { SANDBOX_CAPABILITIES, type OciConfig } from "./spec";

export class SpecValidationError extends Error {
  constructor(
    readonly check: string,
    detail: string,
  ) {
    super(
      `Sandbox spec rejected by check "${check}": ${detail}. This is a bug in the spec generator (sandbox-runner/src/container/spec.ts); fix it there.`,
    );
    this.name = "SpecValidationError";
  }
}

type Check = (c: OciConfig, opts: ValidateOptions) => string | undefined;
export interface ValidateOptions {
  seccompRequired: boolean;
}

const REQUIRED_NAMESPACES = ["user", "pid", "mount", "uts", "ipc", "network", "cgroup"];

export const checks: Record<string, Check> = {
  userNamespace: (c) => {
    if (!c.linux.namespaces.some((n) => n.type === "user")) return "no user namespace";
    const u = c.linux.uidMappings[0];
    const g = c.linux.gidMappings[0];
    if (!u || !g || c.linux.uidMappings.length !== 1 || c.linux.gidMappings.length !== 1)
      return "expected exactly one uid and one gid mapping";
    if (u.hostID === 0 || g.hostID === 0) return "root inside would be root on the host (hostID 0)";
    if (u.containerID !== 0 || g.containerID !== 0) return "mapping must start at container id 0";
    return undefined;
  },
  namespaces: (c) => {
    const missing = REQUIRED_NAMESPACES.filter((t) => !c.linux.namespaces.some((n) => n.type === t));
    if (missing.length) return `missing namespaces: ${missing.join(", ")}`;
    // The one namespace the runner may hand runc is the user namespace it made for this sandbox.
    const joined = c.linux.namespaces.filter((n) => n.path && !(n.type === "user" && /^\/proc\/\d+\/ns\/user$/.test(n.path)));
    if (joined.length) return `joins existing namespaces: ${joined.map((n) => `${n.type}=${n.path}`).join(", ")}`;
    return undefined;
  },
  capabilities: (c) => {
    const allowed = new Set<string>(SANDBOX_CAPABILITIES);
    const all = Object.values(c.process.capabilities).flat();
    const extra = [...new Set(all.filter((x) => !allowed.has(x)))];
    if (extra.length) return `capabilities outside the allowed list: ${extra.join(", ")}`;
    if (c.process.capabilities.ambient.length || c.process.capabilities.inheritable.length)
      return "ambient/inheritable capabilities must be empty";
    return undefined;
  },
  noNewPrivileges: (c) => (c.process.noNewPrivileges ? undefined : "noNewPrivileges is off"),
  seccomp: (c, o) => {
    if (!o.seccompRequired) return undefined;
    if (!c.linux.seccomp) return "no seccomp filter";
    if (c.linux.seccomp.defaultAction === "SCMP_ACT_ALLOW") return "seccomp default action allows everything";
    return undefined;
  },
  limits: (c) => {
    const r = c.linux.resources;
    if (!(r.memory.limit > 0)) return "memory limit not set";
    if (r.memory.swap !== undefined && r.memory.swap !== r.memory.limit) return "swap limit must equal memory limit (no swap)";
    if (!(r.pids.limit > 0)) return "pids limit not set";
    if (!(r.cpu.quota > 0 && r.cpu.period > 0)) return "cpu quota not set";
    return undefined;
  },
  hostBindMounts: (c) => {
    const binds = c.mounts.filter((m) => m.type === "bind" || m.options?.includes("bind") || m.options?.includes("rbind"));
    const writable = binds.filter((m) => !m.options?.includes("ro"));
    return writable.length ? `writable host bind mounts: ${writable.map((m) => m.destination).join(", ")}` : undefined;
  },
  rootfs: (c) => (c.root.path.startsWith("/") ? undefined : "root.path must be absolute"),
};

/** Throws SpecValidationError on the first failed check. */
export function validateOciConfig(c: OciConfig, opts: ValidateOptions): void {
  for (const [name, check] of Object.entries(checks)) {
    const problem = check(c, opts);
    if (problem) throw new SpecValidationError(name, problem);
  }
}

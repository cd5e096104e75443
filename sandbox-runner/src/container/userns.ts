/**
 * The sandbox's user namespace, made by the runner (runc joins it) so that it is owned by a host uid
 * of its own instead of host root.
 *
 * Why: the kernel charges inotify instances and watches, namespaces, pending signals and POSIX
 * message-queue bytes to a (user namespace, uid) pair, then again to the namespace's *owner* in the
 * parent namespace, up to the host (kernel/ucount.c). A namespace runc creates is owned by host root,
 * so every sandbox was charged to host root's own account: one sandbox that used up its inotify
 * instances or pending signals made them fail for every other sandbox and for the host's root. A
 * per-sandbox cap set inside the namespace (`user.max_*`) does not fix that alone: it bounds each uid
 * *inside* the sandbox, and root inside can switch between 65536 uids. With a distinct owner per
 * sandbox, the host-level charge is the sandbox's total, limited by the host's per-user limits
 * (fs.inotify.max_user_instances, ...) and, for signals and message queues, by the rlimits this
 * namespace was created with (SANDBOX_NS_RLIMITS): nothing is shared between sandboxes or with root.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { runCommand } from "./command";

/**
 * `user.max_*` inside the sandbox's namespace: per uid inside it, and for everything nested (the
 * kernel checks each ancestor namespace's limit). Root inside cannot raise them: that needs
 * CAP_SYS_RESOURCE, which the sandbox does not have; a nested namespace's root may raise its own
 * copy, which does not lift the sandbox's. runc's own namespaces (one each of mnt, pid, ipc, uts,
 * net, cgroup) count too. Values: generous for the lessons (a few nested `unshare`s, `tail -f`),
 * small against a loop.
 */
export const SANDBOX_USER_LIMITS = {
  max_user_namespaces: 64,
  max_mnt_namespaces: 64,
  max_pid_namespaces: 64,
  max_ipc_namespaces: 64,
  max_uts_namespaces: 64,
  max_cgroup_namespaces: 64,
  max_time_namespaces: 64,
  // No new network namespace anywhere inside: a nested user namespace's root would get NET_ADMIN and
  // NET_RAW over it (veth, AF_PACKET, netfilter: kernel attack surface no lesson needs). The sandbox's
  // own network namespace belongs to the sandbox's namespace, so a nested root has no NET_ADMIN there.
  max_net_namespaces: 0,
  max_inotify_instances: 32,
  max_inotify_watches: 8192,
  // The seccomp filter refuses fanotify_init; zero here as well so a filter change cannot open it.
  max_fanotify_groups: 0,
  max_fanotify_marks: 0,
} as const;

/**
 * Per-process limits (runc starts under them and the sandbox inherits them: see Runc.limits), and the
 * limits the namespace is created with. The kernel checks
 * pending signals and message-queue bytes against the process's rlimit for its own uid, then the
 * sandbox's total against the rlimit of whoever created the namespace: with both set here, a sandbox
 * holds at most SIGPENDING queued signals and MSGQUEUE bytes of queues in all, whatever uids it uses.
 * NOFILE is per process: a sandbox opens at most NOFILE × SANDBOX_PIDS files (1024 × 256 = 262 144
 * by default; the host's fs.file-max is checked for that at start, see host-limits.ts). The hard
 * limit equals the soft one and raising it needs CAP_SYS_RESOURCE on the host: `ulimit -n` inside
 * can only go down.
 */
export const SANDBOX_RLIMITS = {
  // The usual default soft limit; what the lessons' tools (shells, vim, unshare) expect.
  RLIMIT_NOFILE: 1024,
  // Signal lessons send a handful; 1024 queued real-time signals is far more than any of them.
  RLIMIT_SIGPENDING: 1024,
  // The kernel's default (10 queues of the default 10 × 8 KiB size), now per sandbox instead of shared.
  RLIMIT_MSGQUEUE: 819_200,
} as const;

/** prlimit options for SANDBOX_RLIMITS, soft = hard (runc and so the sandbox start under them). */
export function sandboxRlimitArgs(limits: Record<keyof typeof SANDBOX_RLIMITS, number> = SANDBOX_RLIMITS): string[] {
  const opt = { RLIMIT_NOFILE: "nofile", RLIMIT_SIGPENDING: "sigpending", RLIMIT_MSGQUEUE: "msgqueue" } as const;
  return Object.entries(limits).map(([k, v]) => `--${opt[k as keyof typeof opt]}=${v}`);
}

/**
 * Host uid that owns the user namespace of the sandbox in `slot` (0 ≤ slot < capacity): the uids right
 * after the sandboxes' mapped range, one per running sandbox. No host process may run as one of them
 * (a process with the owner's uid on the host would have every capability in that sandbox).
 */
export function sandboxOwnerUid(uidBase: number, uidCount: number, slot: number): number {
  if (!Number.isInteger(slot) || slot < 0) throw new Error(`not a sandbox slot: ${slot}`);
  return uidBase + uidCount + slot;
}

/** The highest uid a Linux kernel accepts (uid_t is 32 bits and (uid_t)-1 means "unchanged"). */
export const MAX_UID = 4_294_967_294;

/** The shell line, run in the sandbox's namespace, that sets and then prints every user.max_* limit. */
export function userLimitsScript(limits: Record<string, number> = SANDBOX_USER_LIMITS): string {
  const parts = Object.entries(limits).map(([k, v]) => {
    if (!/^max_[a-z_]+$/.test(k) || !Number.isInteger(v) || v < 0) throw new Error(`bad user limit ${k}=${v}`);
    return `echo ${v} > /proc/sys/user/${k} && echo "${k}=$(cat /proc/sys/user/${k})"`;
  });
  return parts.join(" && ");
}

/** Parses what userLimitsScript printed and says which limits did not take. */
export function unappliedLimits(printed: string, limits: Record<string, number> = SANDBOX_USER_LIMITS): string[] {
  const got = new Map(
    printed
      .split("\n")
      .map((l) => l.split("="))
      .filter((p) => p.length === 2)
      .map(([k, v]) => [k, Number(v)] as const),
  );
  return Object.entries(limits)
    .filter(([k, v]) => got.get(k) !== v)
    .map(([k, v]) => `${k}=${v} (is ${got.get(k) ?? "unknown"})`);
}

/**
 * A user namespace owned by `ownerUid`, kept alive by a small process (`sh` waiting on its stdin)
 * until runc has joined it; `release()` lets that process go (the sandbox's own processes keep the
 * namespace alive from then on). If the runner dies, the process sees end-of-file and exits.
 */
export class OwnedUserNamespace {
  private constructor(
    private readonly child: ChildProcess,
    readonly pid: number,
  ) {}

  get path(): string {
    return `/proc/${this.pid}/ns/user`;
  }

  static async create(o: { ownerUid: number; uidBase: number; uidCount: number; timeoutMs?: number }): Promise<OwnedUserNamespace> {
    if (o.ownerUid > MAX_UID) throw new Error(`sandbox owner uid ${o.ownerUid} is above ${MAX_UID}: lower SANDBOX_UID_BASE`);
    // prlimit sets the rlimits the namespace is created with (the sandbox-wide totals), then unshare
    // makes the namespace as ownerUid (an unprivileged user namespace: the owner is the creator's uid).
    const child = spawn(
      "prlimit",
      [
        `--sigpending=${SANDBOX_RLIMITS.RLIMIT_SIGPENDING}`,
        `--msgqueue=${SANDBOX_RLIMITS.RLIMIT_MSGQUEUE}`,
        "--",
        "unshare",
        "--user",
        "--",
        "/bin/sh",
        "-c",
        "echo ready; read _",
      ],
      { uid: o.ownerUid, gid: o.ownerUid, cwd: "/", stdio: ["pipe", "pipe", "pipe"] },
    );
    let err = "";
    child.stderr.on("data", (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    const ready = await new Promise<boolean>((resolve) => {
      let out = "";
      const timer = setTimeout(() => resolve(false), o.timeoutMs ?? 10_000);
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        if (out.includes("ready\n")) {
          clearTimeout(timer);
          resolve(true);
        }
      });
      child.on("error", (e) => {
        err += String(e);
        clearTimeout(timer);
        resolve(false);
      });
      child.on("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    const pid = child.pid;
    if (!ready || !pid) {
      child.kill("SIGKILL");
      throw new Error(
        `could not create the sandbox's user namespace as uid ${o.ownerUid} (\`unshare --user\` as an unprivileged uid): ${err.trim() || "no answer"}. ` +
          "The host must allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1 on Debian kernels, user.max_user_namespaces > 0).",
      );
    }
    const ns = new OwnedUserNamespace(child, pid);
    try {
      // Host root writes the maps (it has CAP_SETUID and CAP_SETFCAP over the parent namespace).
      const map = `0 ${o.uidBase} ${o.uidCount}\n`;
      await writeFile(`/proc/${pid}/uid_map`, map);
      await writeFile(`/proc/${pid}/gid_map`, map);
      const written = await readFile(`/proc/${pid}/uid_map`, "utf8");
      if (written.trim().split(/\s+/).join(" ") !== map.trim()) throw new Error(`uid_map reads back as ${JSON.stringify(written)}`);
    } catch (e) {
      ns.release();
      throw e;
    }
    return ns;
  }

  /**
   * Sets SANDBOX_USER_LIMITS inside the namespace: a host-root process joins the user namespace
   * only (it then has every capability in it, CAP_SYS_RESOURCE included) and writes /proc/sys/user.
   * Done after runc has made the sandbox's namespaces: max_net_namespaces 0 would refuse runc's own.
   */
  async applyLimits(): Promise<void> {
    const { stdout } = await runCommand("nsenter", [`--user=${this.path}`, "--", "/bin/sh", "-c", userLimitsScript()]);
    const missing = unappliedLimits(stdout);
    if (missing.length) throw new Error(`user namespace limits not applied: ${missing.join(", ")}`);
  }

  release(): void {
    this.child.stdin?.end();
    this.child.stdin?.destroy();
    setTimeout(() => this.child.kill("SIGKILL"), 5000).unref();
  }
}

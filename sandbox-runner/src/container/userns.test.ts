import { describe, expect, it } from "vitest";
import { sandboxOwnerUid, sandboxRlimitArgs, SANDBOX_RLIMITS, SANDBOX_USER_LIMITS, unappliedLimits, userLimitsScript } from "./userns";

describe("the sandbox's user namespace", () => {
  it("gets an owner uid right after the mapped range, one per slot", () => {
    expect(sandboxOwnerUid(100000, 65536, 0)).toBe(165536);
    expect(sandboxOwnerUid(100000, 65536, 99)).toBe(165635);
    expect(() => sandboxOwnerUid(100000, 65536, -1)).toThrow(/slot/);
    expect(() => sandboxOwnerUid(100000, 65536, 1.5)).toThrow(/slot/);
  });

  it("allows no new network namespace, and caps every other counter", () => {
    expect(SANDBOX_USER_LIMITS.max_net_namespaces).toBe(0);
    for (const [k, v] of Object.entries(SANDBOX_USER_LIMITS)) expect(v, k).toBeLessThan(100_000);
  });

  it("writes and reads back each limit, and says which did not take", () => {
    const script = userLimitsScript({ max_net_namespaces: 0, max_inotify_instances: 32 });
    expect(script).toBe(
      'echo 0 > /proc/sys/user/max_net_namespaces && echo "max_net_namespaces=$(cat /proc/sys/user/max_net_namespaces)" && ' +
        'echo 32 > /proc/sys/user/max_inotify_instances && echo "max_inotify_instances=$(cat /proc/sys/user/max_inotify_instances)"',
    );
    expect(() => userLimitsScript({ "max_x; rm -rf /": 1 })).toThrow(/bad user limit/);
    expect(() => userLimitsScript({ max_x: -1 })).toThrow(/bad user limit/);
    const limits = { max_net_namespaces: 0, max_inotify_instances: 32 };
    expect(unappliedLimits("max_net_namespaces=0\nmax_inotify_instances=32\n", limits)).toEqual([]);
    expect(unappliedLimits("max_net_namespaces=96365\n", limits)).toEqual([
      "max_net_namespaces=0 (is 96365)",
      "max_inotify_instances=32 (is unknown)",
    ]);
  });

  it("starts runc under the sandbox's rlimits, soft = hard", () => {
    expect(sandboxRlimitArgs()).toEqual([
      `--nofile=${SANDBOX_RLIMITS.RLIMIT_NOFILE}`,
      `--sigpending=${SANDBOX_RLIMITS.RLIMIT_SIGPENDING}`,
      `--msgqueue=${SANDBOX_RLIMITS.RLIMIT_MSGQUEUE}`,
    ]);
  });
});

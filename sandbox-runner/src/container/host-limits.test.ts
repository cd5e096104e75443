import { expect, it } from "vitest";
import { neededHostLimits } from "./host-limits";
import { SANDBOX_RLIMITS, SANDBOX_USER_LIMITS } from "./userns";

it("sizes fs.file-max for every sandbox at its open-file cap, and the per-user inotify limits for one sandbox", () => {
  const need = Object.fromEntries(neededHostLimits({ SANDBOX_CAPACITY: 50, SANDBOX_PIDS: 256 }).map((l) => [l.sysctl, l.need]));
  // 50 sandboxes × 256 processes × 1024 files, plus 65536 for the host.
  expect(need["fs.file-max"]).toBe(50 * 256 * SANDBOX_RLIMITS.RLIMIT_NOFILE + 65_536);
  expect(need["fs.file-max"]).toBe(13_172_736);
  expect(need["fs.inotify.max_user_instances"]).toBe(SANDBOX_USER_LIMITS.max_inotify_instances);
  expect(need["fs.inotify.max_user_watches"]).toBe(SANDBOX_USER_LIMITS.max_inotify_watches);
});

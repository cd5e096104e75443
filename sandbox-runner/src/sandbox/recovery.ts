import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import { removeAllSandboxCgroups } from "../container/cgroups";
import { mountsUnder, unmountAll } from "../container/mounts";
import type { Runc } from "../container/runc";

/**
 * After a crash: removes every container, runc state, mount, cgroup and sandbox dir an earlier run
 * of this runner dir left behind (they are all ours: the dirs and the cgroup parent are per runner dir).
 */
export async function removeLeftovers(
  runc: Runc,
  sandboxesDir: string,
  cgroupParent: string,
  log: Logger,
  /** Called for each sandbox dir once its container is gone, before its mounts go (saves the learner's work). */
  salvage?: (sandboxDir: string) => Promise<void>,
) {
  const count = { containers: 0, mounts: 0, cgroups: 0, dirs: 0 };
  for (const c of await runc.list().catch(() => [])) {
    await runc.delete(c.id).catch((e: unknown) => log.warn({ err: e, id: c.id }, "runc delete of a leftover failed"));
    count.containers++;
  }
  // State dirs runc could not read (a crash mid-create) are just files now that the cgroups go too.
  for (const d of await readdir(runc.stateDir).catch(() => [])) await rm(path.join(runc.stateDir, d), { recursive: true, force: true });
  if (salvage) for (const d of await readdir(sandboxesDir)) await salvage(path.join(sandboxesDir, d));
  count.mounts = (await mountsUnder(sandboxesDir)).length;
  await unmountAll(sandboxesDir);
  count.cgroups = await removeAllSandboxCgroups(cgroupParent);
  for (const d of await readdir(sandboxesDir)) {
    await rm(path.join(sandboxesDir, d), { recursive: true, force: true });
    count.dirs++;
  }
  return count;
}

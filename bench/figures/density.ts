/**
 * Density: N idle sandboxes in one runner. The runner's overhead per sandbox (growth of its
 * process tree's resident memory, whatever processes it keeps per terminal included) against what an
 * idle sandbox itself holds (its cgroup's memory usage: the floor every container pays).
 * Measured at N/4, N/2 and N idle sandboxes, then with one open terminal in each.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { cgroupParentFor, cgroupsPathFor } from "../../sandbox-runner/src/container/cgroups";
import { signToken } from "../../contract/token";
import { measured, side, type Figure } from "../lib/results";
import { startRunner, type RunnerProcess } from "../lib/runner-process";
import { treeRssKiB } from "../lib/proc";
import { openTermSocket, type TermSocket } from "../lib/term-socket";

const OWNER = "bench-density";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function cgroupMemKiB(runnerDir: string, id: string): number | null {
  const cg = cgroupsPathFor(cgroupParentFor(runnerDir), id);
  for (const f of [
    path.join("/sys/fs/cgroup/memory", cg, "memory.usage_in_bytes"),
    path.join("/sys/fs/cgroup", cg, "memory.current"),
    path.join("/sys/fs/cgroup/unified", cg, "memory.current"),
  ]) {
    try {
      return Number(readFileSync(f, "utf8").trim()) / 1024;
    } catch {
      /* next layout */
    }
  }
  return null;
}

/** Settles (GC, timers) before reading: the runner's heap is measured at rest, as an idle one is. */
async function settle(r: RunnerProcess): Promise<{ self: number; tree: number; processes: number }> {
  await sleep(3000);
  return treeRssKiB(r.pid);
}

async function createMany(r: RunnerProcess, count: number, ids: string[], concurrency = 4): Promise<void> {
  let next = 0;
  let failure: Error | undefined;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count && !failure) {
        next++;
        try {
          ids.push((await r.client.createSandbox(OWNER)).id);
        } catch (e) {
          failure ??= e as Error;
        }
      }
    }),
  );
  if (failure) throw failure;
}

export async function measureDensity(o: { dataDir: string; n: number; log: (s: string) => void }): Promise<Record<string, Figure>> {
  const r = await startRunner({
    dataDir: o.dataDir,
    env: { SANDBOX_CAPACITY: String(o.n + 5), SANDBOX_POOL_SIZE: "0", TERMINALS_PER_SANDBOX: "2" },
  });
  const ids: string[] = [];
  const sockets: TermSocket[] = [];
  try {
    // One sandbox first, destroyed: loads the code paths so their heap is not counted per sandbox.
    const warm = await r.client.createSandbox("bench-density-warmup");
    await r.client.destroySandbox(warm.id);
    const base = await settle(r);
    const checkpoints = [...new Set([Math.max(1, Math.floor(o.n / 4)), Math.max(1, Math.floor(o.n / 2)), o.n])];
    const points: { n: number; selfKiB: number; treeKiB: number; perSandboxKiB: number; sandboxMemKiB: number[]; terminals: boolean }[] =
      [];
    let stoppedBy: string | undefined;
    for (const n of checkpoints) {
      try {
        await createMany(r, n - ids.length, ids);
      } catch (e) {
        // The host refused more containers: measure what runs, say why it stopped.
        stoppedBy = `creating sandbox ${ids.length + 1} of ${o.n} failed: ${(e as Error).message} (see ${r.dataDir}/runner.log)`;
        o.log(stoppedBy);
        if (ids.length === 0) throw e;
        const m = await settle(r);
        const mem = ids.map((id) => cgroupMemKiB(r.runnerDir, id)).filter((x): x is number => x !== null);
        points.push({
          n: ids.length,
          selfKiB: m.self,
          treeKiB: m.tree,
          perSandboxKiB: (m.tree - base.tree) / ids.length,
          sandboxMemKiB: mem,
          terminals: false,
        });
        break;
      }
      const m = await settle(r);
      const mem = ids.map((id) => cgroupMemKiB(r.runnerDir, id)).filter((x): x is number => x !== null);
      points.push({ n, selfKiB: m.self, treeKiB: m.tree, perSandboxKiB: (m.tree - base.tree) / n, sandboxMemKiB: mem, terminals: false });
      o.log(
        `density ${n}: runner ${(m.self / 1024).toFixed(0)} MiB (tree ${(m.tree / 1024).toFixed(0)} MiB, ${m.processes} processes), ${((m.tree - base.tree) / 1024 / n).toFixed(2)} MiB per sandbox`,
      );
    }
    // One open terminal (an idle bash at its prompt) in each: what a learner's tab costs.
    for (const id of ids) {
      const s = await openTermSocket(r.wsUrl, { token: await signToken(r.secret, { sub: OWNER, sid: id, role: "learner" }) }).catch(
        () => null,
      );
      if (!s) continue;
      sockets.push(s);
      for (let i = 0; i < 400 && s.t.prompt === undefined; i++) await sleep(25); // its shell is up
    }
    await sleep(2000);
    const mt = await settle(r);
    const memT = ids.map((id) => cgroupMemKiB(r.runnerDir, id)).filter((x): x is number => x !== null);
    const withTerm = {
      n: ids.length,
      selfKiB: mt.self,
      treeKiB: mt.tree,
      perSandboxKiB: (mt.tree - base.tree) / ids.length,
      sandboxMemKiB: memT,
      terminals: true,
    };
    o.log(
      `density ${ids.length} + terminals: runner ${(mt.self / 1024).toFixed(0)} MiB (tree ${(mt.tree / 1024).toFixed(0)} MiB, ${mt.processes} processes), ${(withTerm.perSandboxKiB / 1024).toFixed(2)} MiB per sandbox`,
    );
    const mib = (k: number) => k / 1024;
    const idle = measured({
      title: `Density: runner overhead per idle sandbox (N up to ${o.n})`,
      unit: "MiB",
      better: "lower",
      product: side(
        "runner process tree growth / N",
        points.map((p) => mib(p.perSandboxKiB)),
        {
          baseKiB: base,
          points: points.map((p) => ({
            n: p.n,
            runnerSelfMiB: +mib(p.selfKiB).toFixed(1),
            runnerTreeMiB: +mib(p.treeKiB).toFixed(1),
            perSandboxMiB: +mib(p.perSandboxKiB).toFixed(2),
          })),
        },
      ),
      baseline: side("the idle sandbox's own memory (cgroup usage)", points.at(-1)!.sandboxMemKiB.map(mib)),
      goal: "≤ 3 MiB of runner overhead per idle sandbox",
      ...(stoppedBy ? { notes: `reached N=${ids.length}: ${stoppedBy}` } : {}),
    });
    idle.met = (idle.product!.stat.max ?? Infinity) <= 3;
    const term = measured({
      title: `Density: runner overhead per sandbox with one open terminal (N=${ids.length})`,
      unit: "MiB",
      better: "lower",
      product: side("runner process tree growth / N (no process per terminal)", [mib(withTerm.perSandboxKiB)], {
        runnerSelfMiB: +mib(mt.self).toFixed(1),
        runnerTreeMiB: +mib(mt.tree).toFixed(1),
        processes: mt.processes,
      }),
      baseline: side("the sandbox's own memory with its bash (cgroup usage)", memT.map(mib)),
      goal: "≤ 3 MiB of runner overhead per idle sandbox",
    });
    term.met = (term.product!.stat.p50 ?? Infinity) <= 3;
    return { densityIdle: idle, densityWithTerminal: term };
  } finally {
    for (const s of sockets) s.close();
    await r.stop();
  }
}

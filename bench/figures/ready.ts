/**
 * Sandbox ready: a learner's sandbox from nothing to the first byte of its shell's prompt (the
 * OSC 133;A mark), through the real runner (HTTP create, which starts the container and its first
 * shell in one `runc run`; WebSocket HELLO; the Terminal adopting that shell),
 * against the floor (bare `runc run` of the same Bundle). Rounds interleave product and floor.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { signToken } from "../../contract/token";
import type { OciConfig } from "../../sandbox-runner/src/container/spec";
import { ensureImage } from "../../sandbox-runner/src/image";
import { cleanFloor, floorRound } from "../lib/floor";
import { measured, side, type Figure } from "../lib/results";
import type { RunnerProcess } from "../lib/runner-process";
import { openTermSocket } from "../lib/term-socket";

export interface ReadySample {
  totalMs: number;
  createMs: number;
  wsToPromptMs: number;
  wsToFirstByteMs: number;
}

/** One learner arriving: create, connect, wait for the prompt; the sandbox is destroyed after. */
export async function productReadyRound(r: RunnerProcess, owner: string, keep = false): Promise<ReadySample & { sandbox: string }> {
  const t0 = performance.now();
  const sb = await r.client.createSandbox(owner);
  const t1 = performance.now();
  const token = await signToken(r.secret, { sub: owner, sid: sb.id, role: "learner" });
  const s = await openTermSocket(r.wsUrl, { token, cols: 120, rows: 30 });
  await s.waitFor("\x1b]133;A").catch(async (e) => {
    // The prompt may already be in the SNAPSHOT (a prepared shell): waitFor only sees later output.
    if (s.t.prompt === undefined) throw e;
  });
  const prompt = s.t.prompt!;
  const out: ReadySample & { sandbox: string } = {
    sandbox: sb.id,
    totalMs: prompt - t0,
    createMs: t1 - t0,
    wsToPromptMs: prompt - s.t.open!,
    wsToFirstByteMs: Math.min(s.t.firstOutput ?? Infinity, s.t.prompt ?? Infinity) - s.t.open!,
  };
  s.close();
  if (!keep) await r.client.destroySandbox(sb.id);
  return out;
}

/** The Bundle config the runner wrote for a live sandbox, to run the floor with the same settings. */
export async function runnerBundleConfig(r: RunnerProcess, sandboxId: string): Promise<OciConfig> {
  return JSON.parse(await readFile(path.join(r.runnerDir, "sandboxes", sandboxId, "bundle/config.json"), "utf8")) as OciConfig;
}

export async function measureReady(
  r: RunnerProcess,
  o: { rounds: number; warm: boolean; log: (s: string) => void },
): Promise<Record<string, Figure>> {
  const image = await ensureImage({ runnerDir: r.runnerDir, uidBase: 100000, uidCount: 65536 });
  const probe = await productReadyRound(r, "bench-probe", true);
  const config = await runnerBundleConfig(r, probe.sandbox);
  await r.client.destroySandbox(probe.sandbox);
  const workDir = path.join(r.dataDir, "floor");
  await cleanFloor(workDir);
  const floorOpts = { config, lowerDirs: image.layers.map((l) => l.snapshotDir), workDir, uidBase: 100000, diskMb: 16 };
  await floorRound(floorOpts, 0); // warm the page cache for both sides

  const floor: number[] = [];
  const cold: ReadySample[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    // Alternate who goes first, so neither always runs right after the other's teardown.
    const a = async () => floor.push((await floorRound(floorOpts, i)).promptMs);
    const b = async () => cold.push(await productReadyRound(r, `bench-cold-${i}`));
    if (i % 2) {
      await a();
      await b();
    } else {
      await b();
      await a();
    }
    o.log(`ready round ${i}: floor ${floor.at(-1)!.toFixed(0)} ms, product ${cold.at(-1)!.totalMs.toFixed(0)} ms`);
  }
  const floorSide = side("bare runc run (same Bundle, bash -l on a terminal)", floor);
  const figures: Record<string, Figure> = {};
  const coldSide = side(
    "runner: POST /v1/sandboxes (runc run starts the shell) + WebSocket",
    cold.map((c) => c.totalMs),
    {
      createMs: side(
        "create",
        cold.map((c) => c.createMs),
      ).stat,
      wsToPromptMs: side(
        "ws→prompt",
        cold.map((c) => c.wsToPromptMs),
      ).stat,
      wsToFirstByteMs: side(
        "ws→first byte",
        cold.map((c) => c.wsToFirstByteMs),
      ).stat,
    },
  );
  figures.sandboxReadyCold = measured({
    title: "Sandbox ready, cold (create → prompt)",
    unit: "ms",
    better: "lower",
    product: coldSide,
    baseline: floorSide,
    goal: "≤ 1.5× the floor",
  });
  figures.sandboxReadyCold.met = figures.sandboxReadyCold.ratio != null ? figures.sandboxReadyCold.ratio <= 1.5 : null;

  if (o.warm) {
    const warm: ReadySample[] = [];
    for (let i = 1; i <= o.rounds; i++) {
      // Give the pool time to refill between learners (as between real arrivals).
      await waitPoolFull(r, 1500);
      warm.push(await productReadyRound(r, `bench-warm-${i}`));
      o.log(`warm round ${i}: ${warm.at(-1)!.totalMs.toFixed(1)} ms`);
    }
    figures.sandboxReadyWarm = measured({
      title: "Sandbox ready, warm pool (create → prompt)",
      unit: "ms",
      better: "lower",
      product: side(
        "runner with a warm pool",
        warm.map((c) => c.totalMs),
        {
          createMs: side(
            "create",
            warm.map((c) => c.createMs),
          ).stat,
          wsToPromptMs: side(
            "ws→prompt",
            warm.map((c) => c.wsToPromptMs),
          ).stat,
        },
      ),
      baseline: floorSide,
      goal: "p50 ≤ 20 ms",
    });
    const p50 = figures.sandboxReadyWarm.product!.stat.p50;
    figures.sandboxReadyWarm.met = p50 != null ? p50 <= 20 : null;
  }
  await cleanFloor(workDir);
  return figures;
}

/** Learners do not arrive every few ms: leave the pool time to start its next sandbox and shell. */
async function waitPoolFull(_r: RunnerProcess, ms: number): Promise<void> {
  await new Promise((res) => setTimeout(res, ms));
}

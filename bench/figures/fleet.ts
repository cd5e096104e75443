/**
 * The fleet figure: the same N simulated learners (bench/load/learner.ts: typing key by key,
 * Checks, dropped sockets) first all on one runner, then spread over three runners, each on a
 * simulated host of this machine (its own network namespace: test/fleet/harness.ts). Both on the
 * same cores, so the ratio shows what splitting the runner process buys (or costs) before more
 * machines add capacity; on real separate hosts each runner also brings its own cores.
 */
import os from "node:os";
import { RunnerClient } from "../../contract/runner-client";
import { generateSigningKeys } from "../../contract/token";
import { simulateLearner, type LearnerResult } from "../load/learner";
import { startFleet, type RunnerHost } from "../../test/fleet/harness";
import { measured, notMeasured, side, type Figure } from "../lib/results";
import { ratio } from "../lib/stats";

const KEYS = generateSigningKeys();

/** N learners, learner i on hosts[i % hosts.length], for `seconds` after a ramp. */
async function spread(hosts: RunnerHost[], n: number, seconds: number): Promise<LearnerResult[]> {
  const ramp = Math.min(10_000, n * 150);
  const until = Date.now() + ramp + seconds * 1000;
  return Promise.all(
    Array.from({ length: n }, async (_, i) => {
      await new Promise((r) => setTimeout(r, Math.round((ramp * i) / n)));
      const h = hosts[i % hosts.length]!;
      return simulateLearner({
        index: i,
        runner: new RunnerClient({ baseUrl: h.url, privateKey: KEYS.privateKey, runner: h.name }),
        wsUrl: `${h.wsUrl}/v1/terminals`,
        secret: KEYS.privateKey,
        until,
      });
    }),
  );
}

export async function measureFleet(o: { learners: number; seconds: number; log: (s: string) => void }): Promise<Record<string, Figure>> {
  const title = `Echo, ${o.learners} learners: three runners vs one`;
  const goal = "three runners no slower than one on the same machine (p99 ratio ≤ 1)";
  let fleet;
  try {
    fleet = await startFleet({ publicKey: KEYS.publicKey, env: { SANDBOX_CAPACITY: String(o.learners + 5), SANDBOX_POOL_SIZE: "0" } });
  } catch (e) {
    return { fleetEcho: notMeasured(title, "ms", goal, `the three simulated hosts did not start: ${(e as Error).message}`) };
  }
  try {
    o.log(`fleet: ${o.learners} learners on one runner for ${o.seconds} s`);
    const one = await spread([fleet.hosts[0]!], o.learners, o.seconds);
    await new Promise((r) => setTimeout(r, 5000)); // sandboxes torn down before the next run
    o.log(`fleet: ${o.learners} learners over three runners for ${o.seconds} s`);
    const three = await spread(fleet.hosts, o.learners, o.seconds);
    const echo = (rs: LearnerResult[]) => rs.flatMap((r) => r.echoMs);
    const dropped = (rs: LearnerResult[]) => rs.filter((r) => r.dropped).length;
    const f = measured({
      title,
      unit: "ms",
      better: "lower",
      goal,
      product: side("three runners (one per simulated host)", echo(three), { dropped: dropped(three), learners: o.learners }),
      baseline: side("one runner", echo(one), { dropped: dropped(one), learners: o.learners }),
      notes: `ratio of p99; one runner, then three, on the same cores one after the other (load average ${os.loadavg()[0]!.toFixed(1)} at the end); a slower echo also means fewer keys typed in the same time (n)`,
    });
    const r = ratio(f.product!.stat.p99 ?? Number.NaN, f.baseline!.stat.p99 ?? Number.NaN);
    f.ratio = Number.isFinite(r) ? r : null;
    f.met = f.ratio === null ? null : f.ratio <= 1 && dropped(three) === 0;
    return { fleetEcho: f };
  } finally {
    await fleet.stop();
  }
}

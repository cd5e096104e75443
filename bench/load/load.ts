/**
 * `npx tsx bench/load/load.ts`: how many learners at once this machine holds. Starts its own
 * runner (own DATA_DIR under .data/bench-load, the test Image linked, a free loopback port), then
 * ramps N (LOAD_STEPS, default 5,10,20,40,60,80,100) with LOAD_STEP_SECONDS of activity each until a
 * session drops or echo p99 reaches 50 ms. Bounded: at most LOAD_MAX_LEARNERS (default 120) and
 * LOAD_MAX_SECONDS in all (default 900). Loopback only. Writes bench/load/results.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRunner, REPO } from "../lib/runner-process";
import { runStep, stepHolds, type StepResult } from "./step";

const steps = (process.env.LOAD_STEPS ?? "5,10,20,40,60,80,100")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const maxLearners = Number(process.env.LOAD_MAX_LEARNERS ?? 120);
const stepSeconds = Number(process.env.LOAD_STEP_SECONDS ?? 30);
const maxSeconds = Number(process.env.LOAD_MAX_SECONDS ?? 900);

async function main() {
  const dataDir = path.join(REPO, ".data/bench-load");
  fs.mkdirSync(dataDir, { recursive: true });
  const runner = await startRunner({
    dataDir,
    env: { SANDBOX_CAPACITY: String(maxLearners + 10), SANDBOX_POOL_SIZE: "0", TERMINALS_PER_SANDBOX: "4", LOG_LEVEL: "warn" },
  });
  const started = Date.now();
  const results: StepResult[] = [];
  let held = 0;
  try {
    for (const n of steps) {
      if (n > maxLearners) break;
      if ((Date.now() - started) / 1000 + stepSeconds + 30 > maxSeconds) {
        console.log(`stopping: LOAD_MAX_SECONDS=${maxSeconds} would be exceeded`);
        break;
      }
      const r = await runStep({
        learners: n,
        durationMs: stepSeconds * 1000,
        runner: runner.client,
        runnerUrl: runner.url,
        wsUrl: runner.wsUrl,
        secret: runner.secret,
      });
      results.push(r);
      const ok = stepHolds(r);
      console.log(
        `N=${String(n).padStart(3)}  ${ok ? "holds" : "FAILS"}  echo p50 ${r.echo.p50} p99 ${r.echo.p99} max ${r.echo.max} ms (${r.echo.n} keys, ${r.echoesMissing} missing)  ` +
          `check p50 ${r.check.p50} p99 ${r.check.p99} ms  reconnect p50 ${r.reconnect.p50} ms (${r.reconnectsRestored}/${r.reconnects} restored)  ` +
          `ready p50 ${r.ready.p50} p99 ${r.ready.p99} ms  dropped ${r.dropped}${r.droppedReasons.length ? " " + JSON.stringify(r.droppedReasons) : ""}  load ${r.loadAvg}`,
      );
      if (!ok) break;
      held = n;
      await new Promise((res) => setTimeout(res, 3000)); // let sandboxes be torn down between steps
    }
  } finally {
    await runner.stop();
  }
  const out = {
    date: new Date().toISOString(),
    host: { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30) },
    stepSeconds,
    maxLearnersHeld: held,
    steps: results,
  };
  fs.writeFileSync(path.join(REPO, "bench/load/results.json"), JSON.stringify(out, null, 2) + "\n");
  console.log(`\nmost learners held (no dropped session, echo p99 < 50 ms): ${held}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

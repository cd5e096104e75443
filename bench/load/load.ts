/**
 * `npx tsx bench/load/load.ts`: how many learners at once this machine holds. Starts its own
 * runner (own DATA_DIR under .data/bench-load, the test Image linked, a free loopback port), then
 * ramps N (LOAD_STEPS, default 5,10,20,40,60,80,100) with LOAD_STEP_SECONDS of activity each until a
 * session drops, echo p99 reaches 50 ms or Check p99 300 ms. After every command each learner's page
 * runs the Checks of LOAD_CHECK_LESSON's exercises (default 02-lxc-namespaces: 3), as
 * LOAD_CHECK_PATTERN says ("batch", default: one call; "per-exercise": main before the batch).
 * LOAD_CLIENT_NICE (0–19) lowers the simulated learners' CPU priority (see ramp.ts).
 * Bounded: at most LOAD_MAX_LEARNERS (default 120) and LOAD_MAX_SECONDS in all (default 900).
 * Loopback only. Writes bench/load/results.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startRunner, REPO } from "../lib/runner-process";
import { clientNiceFromEnv, lessonChecks, ramp } from "./ramp";

const steps = (process.env.LOAD_STEPS ?? "5,10,20,40,60,80,100")
  .split(",")
  .map(Number)
  .filter((n) => n > 0);
const maxLearners = Number(process.env.LOAD_MAX_LEARNERS ?? 120);
const stepSeconds = Number(process.env.LOAD_STEP_SECONDS ?? 30);
const maxSeconds = Number(process.env.LOAD_MAX_SECONDS ?? 900);
const checkPattern = process.env.LOAD_CHECK_PATTERN === "per-exercise" ? "per-exercise" : "batch";
const checkLesson = process.env.LOAD_CHECK_LESSON ?? "02-lxc-namespaces";

async function main() {
  const dataDir = path.join(REPO, ".data/bench-load");
  fs.mkdirSync(dataDir, { recursive: true });
  const runner = await startRunner({
    dataDir,
    env: { SANDBOX_CAPACITY: String(maxLearners + 10), SANDBOX_POOL_SIZE: "0", TERMINALS_PER_SANDBOX: "4", LOG_LEVEL: "warn" },
  });
  let out;
  try {
    const r = await ramp(runner, {
      steps: steps.filter((n) => n <= maxLearners),
      stepSeconds,
      maxSeconds,
      checks: await lessonChecks(checkLesson),
      checkPattern,
      clientNice: clientNiceFromEnv(),
      log: (s) => console.log(s),
    });
    out = {
      date: new Date().toISOString(),
      host: { cpus: os.cpus().length, memGiB: Math.round(os.totalmem() / 2 ** 30) },
      stepSeconds,
      checkPattern,
      checkLesson,
      maxLearnersHeld: r.held,
      steps: r.steps,
    };
  } finally {
    await runner.stop();
  }
  fs.writeFileSync(path.join(REPO, "bench/load/results.json"), JSON.stringify(out, null, 2) + "\n");
  console.log(`\nmost learners held (no dropped session, echo p99 < 50 ms, Check p99 < 300 ms): ${out.maxLearnersHeld}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/**
 * `npm run bench`: every figure measured beside its baseline in one run, several rounds, median
 * and p99, written to bench/results.json and docs/benchmarks.md (+ bench/results.svg).
 *
 *   npm run bench -- [--rounds N] [--only ready,terminal,density,check,lesson,engine,load,prompt,fleet]
 *                    [--density 200] [--fleet 30]
 *                    [--out bench/results.json] [--no-doc] [--merge]
 *   npm run bench -- --render    (measures nothing: redraws the doc and chart from results.json,
 *                                 e.g. after editing bench/CHANGES.md)
 *
 * `load` ramps learners on this checkout and on a baseline commit back to back (BENCH_LOAD_BASELINE,
 * default 04bbad3, BENCH_LOAD_BASELINE_CHECKS per-exercise|batch; LOAD_STEPS, LOAD_STEP_SECONDS, LOAD_CHECK_LESSON,
 * LOAD_CLIENT_NICE): see bench/figures/load.ts.
 * `prompt` measures prompt mark → checklist in Chromium on a running app (BENCH_APP_URL) or one it
 * starts: see bench/figures/prompt-check.ts.
 *
 * Needs root (runc), the course Image (reused from .data/test/runner/image when present) and, for
 * the peers, the npm registry once (wetty and lighthouse go to .data/bench/peers, not package.json).
 * Do not run it while the integration tests run: the machine has 2 cores and the figures would
 * measure the tests.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { measureCheck } from "./figures/check";
import { measureDensity } from "./figures/density";
import { measureEngine } from "./figures/engine";
import { measureFleet } from "./figures/fleet";
import { measureLesson } from "./figures/lesson";
import { measureLoad } from "./figures/load";
import { measurePromptCheck } from "./figures/prompt-check";
import { measureReady } from "./figures/ready";
import { measureTerminal } from "./figures/terminal";
import { machineInfo } from "./lib/machine";
import { renderDoc, renderSvg } from "./lib/report";
import { notMeasured, type Figure, type Results } from "./lib/results";
import { ratio } from "./lib/stats";
import { REPO, startRunner } from "./lib/runner-process";
import { ensurePeers } from "./lib/wetty";
import { clientNiceFromEnv } from "./load/ramp";

export interface BenchOptions {
  rounds: number;
  only: Set<string>;
  density: number;
  out: string;
  doc: boolean;
  /** Keep the other figures of an existing results file (re-measure one figure). */
  merge?: boolean;
  render?: boolean;
  dataDir: string;
  rawBytes: number;
  keys: number;
  /** Learners of the fleet figure (one runner, then three). */
  fleetLearners?: number;
  log: (s: string) => void;
}

function parseArgs(argv: string[]): BenchOptions {
  const o: BenchOptions = {
    rounds: 10,
    only: new Set(["ready", "terminal", "density", "check", "lesson", "engine", "load", "prompt", "fleet"]),
    density: 200,
    out: path.join(REPO, "bench/results.json"),
    doc: true,
    dataDir: path.join(REPO, ".data/bench"),
    rawBytes: 16 * 1024 * 1024,
    keys: 100,
    fleetLearners: 30,
    log: (s) => process.stderr.write(`[bench] ${s}\n`),
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === "--rounds") o.rounds = Math.max(1, Number(v()));
    else if (a === "--only") o.only = new Set(v().split(","));
    else if (a === "--density") o.density = Math.max(1, Number(v()));
    else if (a === "--out") o.out = path.resolve(v());
    else if (a === "--no-doc") o.doc = false;
    else if (a === "--merge") o.merge = true;
    else if (a === "--render") o.render = true;
    else if (a === "--bytes") o.rawBytes = Number(v());
    else if (a === "--keys") o.keys = Number(v());
    else if (a === "--fleet") o.fleetLearners = Math.max(3, Number(v()));
    else throw new Error(`unknown option ${a}; see the header of bench/run.ts`);
  }
  return o;
}

export async function runBench(o: BenchOptions): Promise<Results> {
  if (o.render) {
    if (!existsSync(o.out)) throw new Error(`--render needs ${o.out}: run the benchmarks first`);
    const results = JSON.parse(readFileSync(o.out, "utf8")) as Results;
    writeFileSync(path.join(REPO, "bench/results.svg"), renderSvg(results));
    writeFileSync(path.join(REPO, "docs/benchmarks.md"), renderDoc(results));
    return results;
  }
  if (process.getuid?.() !== 0) throw new Error("the benchmarks start containers with runc: run them as root");
  const startedAt = new Date().toISOString();
  const before = os.loadavg();
  const figures: Record<string, Figure> = {};
  const want = (k: string) => o.only.has(k);
  if (want("terminal") || want("lesson")) ensurePeers(["wetty@3", "lighthouse@12"], o.log);

  if (["ready", "check"].some(want)) {
    const r = await startRunner({ dataDir: o.dataDir, env: { SANDBOX_CAPACITY: "20", SANDBOX_POOL_SIZE: "0" } });
    try {
      if (want("ready")) Object.assign(figures, await measureReady(r, { rounds: o.rounds, warm: false, log: o.log }));
      if (want("check")) Object.assign(figures, await measureCheck(r, { rounds: Math.max(o.rounds, 20), log: o.log }));
    } finally {
      await r.stop();
    }
  }
  if (want("terminal")) {
    // wetty's host bash may use the whole machine; so may the sandbox here (SANDBOX_CPUS=2, not the
    // default 0.5 core, which caps what one sandbox can print at about 15 MB/s on this machine).
    const r = await startRunner({ dataDir: o.dataDir, env: { SANDBOX_CAPACITY: "20", SANDBOX_POOL_SIZE: "0", SANDBOX_CPUS: "2" } });
    try {
      if (want("terminal"))
        Object.assign(
          figures,
          await measureTerminal(r, { rounds: o.rounds, rawBytes: o.rawBytes, keys: o.keys, log: o.log }).catch((e: Error) => ({
            terminalThroughput: notMeasured("Terminal throughput", "MB/s", "≥ 2× wetty, flat runner memory", `failed: ${e.message}`),
          })),
        );
    } finally {
      await r.stop();
    }
  }
  if (want("ready")) {
    // The same learners against a runner that keeps prepared sandboxes ready.
    const r = await startRunner({ dataDir: o.dataDir, env: { SANDBOX_CAPACITY: "20", SANDBOX_POOL_SIZE: "2" } });
    try {
      const f = await measureReady(r, { rounds: o.rounds, warm: true, log: o.log });
      if (f.sandboxReadyWarm) {
        // The floor is the one measured beside the cold figure: this runner's pool refills in the
        // background and would slow its own floor rounds down.
        const floor = figures.sandboxReadyCold?.baseline ?? f.sandboxReadyWarm.baseline!;
        figures.sandboxReadyWarm = {
          ...f.sandboxReadyWarm,
          baseline: floor,
          ratio: ratio(f.sandboxReadyWarm.product!.stat.p50 ?? NaN, floor.stat.p50 ?? NaN),
        };
      }
    } finally {
      await r.stop();
    }
  }
  if (want("density")) {
    Object.assign(
      figures,
      await measureDensity({ dataDir: o.dataDir, n: o.density, log: o.log }).catch((e: Error) => ({
        densityIdle: notMeasured(
          "Density",
          "MiB",
          "≤ 3 MiB of runner overhead per idle sandbox",
          `failed: ${e.message} (runner log: ${o.dataDir}/runner.log)`,
        ),
      })),
    );
  }
  if (want("lesson")) {
    Object.assign(
      figures,
      await measureLesson({ rounds: Math.max(o.rounds * 5, 20), log: o.log }).catch((e: Error) => ({
        lessonTtfb: notMeasured("Lesson page TTFB", "ms", "p50 ≤ 20 ms", e.message),
      })),
    );
  }
  if (want("engine")) {
    // The learner's default limits (not the bench's small ones): the engine needs its storage.
    const r = await startRunner({ dataDir: o.dataDir, env: { SANDBOX_CAPACITY: "20", SANDBOX_POOL_SIZE: "0" } });
    try {
      const snaps = path.join(r.runnerDir, "image/snapshots");
      const snapshotDirs = readdirSync(snaps)
        .filter((n) => !n.endsWith(".json") && !n.startsWith("."))
        .map((n) => path.join(snaps, n));
      Object.assign(
        figures,
        await measureEngine(r, { rounds: o.rounds, snapshotDirs, log: o.log }).catch((e: Error) => ({
          engineRun: notMeasured(
            "Nested docker run (busybox, create → exit)",
            "ms",
            "measured beside its baseline",
            `failed: ${e.message}`,
          ),
        })),
      );
    } finally {
      await r.stop();
    }
  }
  if (want("prompt")) {
    Object.assign(
      figures,
      await measurePromptCheck({ rounds: Math.max(o.rounds * 3, 30), log: o.log }).catch((e: Error) => ({
        promptToChecklist: notMeasured("Prompt mark → checklist updated", "ms", "p50 ≤ 150 ms, p99 ≤ 400 ms", `failed: ${e.message}`),
      })),
    );
  }
  if (want("load")) {
    Object.assign(
      figures,
      await measureLoad({
        // 04bbad3: main when issue 16 was filed, before any of its work (the Check batch, the agent, the
        // pool); its app sent get + terminals + one exec per Check, and it is driven by its own client
        // (HS256 tokens: bench/lib/runner-process.ts). 31cb806 (batch, before the agent) with
        // BENCH_LOAD_BASELINE=31cb806 BENCH_LOAD_BASELINE_CHECKS=batch.
        baselineCommit: process.env.BENCH_LOAD_BASELINE ?? "04bbad3",
        baselineChecks: (process.env.BENCH_LOAD_BASELINE_CHECKS ?? "per-exercise") === "batch" ? "batch" : "per-exercise",
        steps: (process.env.LOAD_STEPS ?? "5,10,15,20,30,40,50,60,70,80").split(",").map(Number),
        stepSeconds: Number(process.env.LOAD_STEP_SECONDS ?? 20),
        lesson: process.env.LOAD_CHECK_LESSON ?? "02-lxc-namespaces",
        clientNice: clientNiceFromEnv(),
        log: o.log,
      }).catch((e: Error) => ({
        loadHeld: notMeasured("Most learners held", "learners", "≥ 3× the baseline and ≥ 30 learners", `failed: ${e.message}`),
      })),
    );
  }
  if (want("fleet")) {
    Object.assign(
      figures,
      await measureFleet({ learners: o.fleetLearners ?? 30, seconds: 20, log: o.log }).catch((e: Error) => ({
        fleetEcho: notMeasured("Echo: three runners vs one", "ms", "three runners no slower than one", `failed: ${e.message}`),
      })),
    );
  }
  for (const f of Object.values(figures)) f.measuredAt ??= startedAt;
  if (o.merge && existsSync(o.out)) {
    const old = JSON.parse(readFileSync(o.out, "utf8")) as Results;
    for (const [k, f] of Object.entries(old.figures)) if (!(k in figures)) figures[k] = { ...f, measuredAt: f.measuredAt ?? old.startedAt };
  }
  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    rounds: o.rounds,
    machine: machineInfo(),
    loadavg: { before, after: os.loadavg() },
    figures,
  };
  mkdirSync(path.dirname(o.out), { recursive: true });
  writeFileSync(o.out, JSON.stringify(results, null, 2) + "\n");
  if (o.doc) {
    writeFileSync(path.join(REPO, "bench/results.svg"), renderSvg(results));
    writeFileSync(path.join(REPO, "docs/benchmarks.md"), renderDoc(results));
  }
  return results;
}

if (process.argv[1]?.endsWith(path.join("bench", "run.ts"))) {
  runBench(parseArgs(process.argv.slice(2))).then(
    (r) => {
      for (const [k, f] of Object.entries(r.figures))
        process.stdout.write(
          `${k}: ${f.status === "measured" ? `p50 ${f.product?.stat.p50} ${f.unit} vs ${f.baseline?.stat.p50 ?? "-"} → ×${f.ratio ?? "-"} met=${f.met}` : `not measured: ${f.reason}`}\n`,
        );
      process.exit(0);
    },
    (e: Error) => {
      process.stderr.write(`bench: ${e.message}\n`);
      process.exit(1);
    },
  );
}

#!/usr/bin/env node
// `npm test`: installs what the tests need, then runs every test: unit, integration against real
// containers, end-to-end in Debian's Chromium against the real app and runner. Suites that share
// nothing run side by side (the sandbox Image builds while the app builds and the static checks and
// unit tests run; the end-to-end suite runs beside them and beside the integration and fleet suites,
// on its own DATA_DIR, ports and sandbox uids). A background part's output is printed whole when it
// ends. Ends with a table of how long each step took and one line "N passed, N failed" (the totals
// of every part; a part that crashed counts as a failure).
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { Worker } from "node:worker_threads";
import {
  ensureNpmPackages,
  ensurePortFree,
  ensureSystemPackages,
  preflight,
  reserveSteps,
  root,
  RUNNER_PACKAGES,
  SetupError,
  startService,
  step,
  stopService,
  TEST_PACKAGES,
  waitForHttp,
} from "./lib/steps.mjs";
import { appCommand, loadConfig, runnerCommand } from "./lib/product.mjs";
import { createTimings, formatTimings } from "./lib/timings.mjs";

// Tests get their own data folder and ports, so they never touch (or collide with) a running `npm start`.
process.env.DATA_DIR ??= path.join(root, ".data/test");
process.env.PORT ??= "3100";
process.env.RUNNER_PORT ??= "3101";
process.env.LOG_LEVEL ??= "warn";
const chosenDatabaseUrl = process.env.DATABASE_URL;
process.env.DATABASE_URL ??= `file:${path.join(process.env.DATA_DIR, "e2e.db")}`;

/**
 * The end-to-end suite's runner and app, beside the integration tests: a DATA_DIR of their own (each
 * test manager's init() removes every sandbox of `.data/test/runner`), a sandbox uid range of their
 * own (the integration tests' sandboxes use the default one: kernel counters are per owner uid, see
 * docs/security.md) and room for every spec's learners (their sandboxes stay 30 minutes).
 */
const e2eDataDir = `${process.env.DATA_DIR}-e2e`;
const e2eDb = path.join(e2eDataDir, "e2e.db");
const e2eEnv = {
  DATA_DIR: e2eDataDir,
  DATABASE_URL: chosenDatabaseUrl ?? `file:${e2eDb}`,
  // Above the default range (100000) and the fleet harness's (test/fleet/plan.ts: 1000000 + 100000 per host).
  SANDBOX_UID_BASE: "2000000",
  SANDBOX_CAPACITY: process.env.SANDBOX_CAPACITY ?? "150",
};

const totals = { passed: 0, failed: 0, skipped: 0 };
const services = [];
const timings = createTimings();
const bin = (name) => path.join(root, "node_modules/.bin", name);

/** Runs a command to its end without blocking this process (background parts end meanwhile). */
function spawnAsync(cmd, args, { env = {}, out = "inherit" } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ["ignore", out, out], env: { ...process.env, ...env } });
    child.on("error", (e) => {
      console.error(`  ✗ could not run ${cmd}: ${e.message}`);
      resolve(1);
    });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** A step in the foreground: its output streams as it comes. */
async function foreground(title, fn) {
  step(title);
  const done = timings.start(title);
  try {
    const passed = await fn();
    done(passed !== false);
    return passed;
  } catch (e) {
    done(false);
    throw e;
  }
}

/**
 * A part that runs beside the others: its output goes to a log in DATA_DIR and is printed whole when
 * it ends, under its own heading. Resolves with whether it passed; an exception in it is printed and
 * counted as one failure, so a crash never passes unnoticed.
 */
function background(title, logName, fn) {
  step(`${title}: started in the background`);
  const done = timings.start(title, { background: true });
  const log = path.join(process.env.DATA_DIR, `${logName}.log`);
  const fd = fs.openSync(log, "w");
  const finish = (passed, err) => {
    done(passed);
    fs.closeSync(fd);
    step(`${title}: ended (output kept in ${path.relative(root, log)})`);
    process.stdout.write(fs.readFileSync(log, "utf8"));
    if (err) {
      totals.failed += 1;
      console.log(`  ✗ ${title} stopped: ${err instanceof SetupError ? err.message : (err?.stack ?? err)}`);
    }
    return passed;
  };
  return fn(fd).then(
    (passed) => finish(passed !== false),
    (err) => finish(false, err),
  );
}

function vitestArgs(project) {
  const out = path.join(process.env.DATA_DIR, `vitest-${project}.json`);
  return { out, args: ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`] };
}

/** One vitest project; `out` is where its output goes (ours, or a background part's log). */
async function vitest(project, out = "inherit") {
  const { out: report, args } = vitestArgs(project);
  fs.rmSync(report, { force: true }); // a report left by an earlier run must not be counted
  const status = await spawnAsync(bin("vitest"), args, { out });
  return count(
    report,
    (j) => ({
      passed: j.numPassedTests,
      failed: j.numFailedTests + (status !== 0 && j.numFailedTests === 0 ? 1 : 0),
      skipped: j.numPendingTests + j.numTodoTests,
    }),
    status,
  );
}

/** Adds a suite's counts to the totals; says whether it passed. */
function count(file, pick, status) {
  try {
    const c = pick(JSON.parse(fs.readFileSync(file, "utf8")));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
    return c.failed === 0 && status === 0;
  } catch {
    totals.failed += status === 0 ? 0 : 1; // the runner crashed before writing its report
    return status === 0;
  }
}

/** Types, lint and format: one pass/fail each (tsc and eslint print what is wrong). */
async function staticChecks() {
  let allPassed = true;
  for (const [name, args] of [
    ["tsc", ["--noEmit", "-p", "tsconfig.json"]],
    ["eslint", ["."]],
    ["prettier", ["--check", ".", "--log-level", "warn"]],
    // The walls (contract/README.md): each side's own TypeScript project fails on an import across them.
    ["tsc", ["-p", "tsconfig.contract.json"]],
    ["tsc", ["-p", "tsconfig.runner.json"]],
    ["tsc", ["-p", "tsconfig.app.json"]],
  ]) {
    const status = await spawnAsync(bin(name), args);
    const what = `${name} ${args.at(-1)}`;
    if (status === 0) {
      totals.passed += 1;
      console.log(`  ✓ ${what}`);
    } else {
      totals.failed += 1;
      allPassed = false;
      console.log(`  ✗ ${what} found problems (above)`);
    }
  }
  return allPassed;
}

/**
 * The sandbox Image for the tests (built once; rebuilt only when its definition changes), then the
 * end-to-end runner's copy: the same OCI layout, hard-linked (no second build), its Snapshots
 * unpacked for that runner's own uid range.
 */
async function prepareImages(out) {
  const write = (line) => fs.writeSync(out, `${line}\n`);
  write("test Image:");
  if ((await spawnAsync(bin("tsx"), ["sandbox-runner/src/image/build-cli.ts"], { out })) !== 0)
    throw new SetupError("The sandbox image build failed. Read its output above for the cause.");
  const shared = fs.realpathSync(path.join(process.env.DATA_DIR, "runner/image/oci"));
  const mine = path.join(e2eDataDir, "runner/image/oci");
  const index = (dir) => (fs.existsSync(path.join(dir, "index.json")) ? fs.readFileSync(path.join(dir, "index.json"), "utf8") : "");
  if (index(mine) !== index(shared)) {
    fs.rmSync(mine, { recursive: true, force: true });
    fs.mkdirSync(path.dirname(mine), { recursive: true });
    if ((await spawnAsync("cp", ["-al", shared, mine], { out })) !== 0) throw new SetupError(`Could not link the test Image into ${mine}.`);
  }
  write(`\nend-to-end runner's copy (${e2eDataDir}, sandbox uids from ${e2eEnv.SANDBOX_UID_BASE}):`);
  if ((await spawnAsync(bin("tsx"), ["sandbox-runner/src/image/build-cli.ts"], { env: e2eEnv, out })) !== 0)
    throw new SetupError("Unpacking the end-to-end runner's copy of the Image failed. Read its output above for the cause.");
  return true;
}

/**
 * The database (the end-to-end suite's, migrated) and the production build, in a worker thread
 * (scripts/lib/prepare-app.mjs): their output streams as it comes, while this thread keeps the
 * background parts moving.
 */
function prepareApp(cfg) {
  let done = timings.start("database");
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./lib/prepare-app.mjs", import.meta.url), {
      workerData: { cfg, databaseEnv: e2eEnv, stepsBefore: reserveSteps(2) },
    });
    worker.on("message", (m) => {
      if (m.failed) {
        done(false);
        return reject(new SetupError(m.failed));
      }
      done(true);
      done = m.done === "database" ? timings.start("lessons and production build") : () => undefined;
    });
    worker.on("error", (e) => {
      done(false);
      reject(e);
    });
    worker.on("exit", () => resolve());
  });
}

/** The end-to-end suite against its own runner and app; `out` is its log. */
async function e2e(cfg, out) {
  // The bootstrap `npm start` does: the e2e DATA_DIR tightened for its uid range, the app's keys made.
  if ((await spawnAsync(bin("tsx"), ["scripts/check-config.ts"], { env: e2eEnv, out })) !== 0)
    throw new SetupError("The end-to-end suite's configuration was refused (above).");
  const started = [];
  const start = (name, [cmd, args]) => {
    const s = startService(name, cmd, args, e2eEnv, out);
    services.push(s);
    started.push(s);
    return s;
  };
  try {
    const runner = start("sandbox runner", runnerCommand());
    // Generous: the machine is busy with the other suites meanwhile.
    await waitForHttp(`${cfg.runnerUrl}/healthz`, 300_000, runner);
    const app = start("web app", appCommand(cfg.port));
    await waitForHttp(`http://127.0.0.1:${cfg.port}/`, 300_000, app);
    fs.writeSync(out, "  ✓ app and runner are up\n");
    const report = path.join(e2eDataDir, "playwright.json");
    fs.rmSync(report, { force: true });
    const status = await spawnAsync(bin("playwright"), ["test", "--reporter=list,json"], {
      env: { ...e2eEnv, BASE_URL: `http://localhost:${cfg.port}`, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
      out,
    });
    return count(report, (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected, skipped: j.stats.skipped }), status);
  } finally {
    await Promise.all(started.map((s) => stopService(s)));
  }
}

async function main() {
  const setup = (title, fn) => {
    const done = timings.start(title);
    try {
      fn();
      done(true);
    } catch (e) {
      done(false);
      throw e;
    }
  };
  setup("checking this machine", preflight);
  setup("system packages", () => ensureSystemPackages([...RUNNER_PACKAGES, ...TEST_PACKAGES]));
  setup("npm packages", ensureNpmPackages);
  let cfg;
  setup("configuration", () => (cfg = loadConfig()));
  await ensurePortFree(cfg.port, "0.0.0.0", "web app for tests, PORT");
  await ensurePortFree(cfg.runnerPort, cfg.runnerHost, "sandbox runner for tests, RUNNER_PORT");

  // Waits on the network and on dpkg's disk writes: beside the CPU-bound build and checks.
  const images = background("sandbox images", "images", prepareImages);
  fs.mkdirSync(e2eDataDir, { recursive: true });
  fs.rmSync(e2eDb, { force: true }); // every run starts from an empty database
  await prepareApp(cfg);
  // The end-to-end suite needs the build and its runner's Image, nothing else: it starts as soon as both are there.
  const endToEnd = images.then((ready) =>
    ready ? background("end-to-end tests (Playwright, Debian's Chromium)", "e2e", (out) => e2e(cfg, out)) : false,
  );
  await foreground("static checks (tsc, eslint, prettier)", staticChecks);
  await foreground("unit tests (vitest)", () => vitest("unit"));
  if (!(await images)) throw new SetupError("The sandbox image is not ready (see its output above): the container tests cannot run.");
  // Three runners in network namespaces of their own: nothing shared with the integration project.
  const fleet = background("fleet tests (vitest)", "vitest-fleet", (out) => vitest("fleet", out));
  await foreground("integration tests (vitest)", () => vitest("integration"));
  await Promise.all([fleet, endToEnd]);
  report();
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

function report() {
  console.log(`\n${formatTimings(timings.rows, timings.elapsed())}`);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
}

const stopAll = () => Promise.all(services.splice(0).map((s) => stopService(s)));
process.on("SIGINT", () => stopAll().then(() => process.exit(130)));
main().catch(async (e) => {
  await stopAll();
  console.error(e instanceof SetupError ? `\n✗ ${e.message}` : e);
  report();
  process.exit(1);
});

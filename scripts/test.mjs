#!/usr/bin/env node
// `npm test`: installs what the tests need, then runs every test: unit, integration against real
// containers, end-to-end in Debian's Chromium against the real app and runner. Ends with one line
// "N passed, N failed" (the totals of all three).
import fs from "node:fs";
import path from "node:path";
import { spawn, spawnSync } from "node:child_process";
import {
  ensureNpmPackages,
  ensurePortFree,
  ensureSystemPackages,
  preflight,
  root,
  RUNNER_PACKAGES,
  SetupError,
  startService,
  step,
  stopService,
  TEST_PACKAGES,
  waitForHttp,
  ok,
} from "./lib/steps.mjs";
import { appCommand, ensureBuild, ensureDatabase, ensureImage, loadConfig, runnerCommand } from "./lib/product.mjs";

// Tests get their own data folder and ports, so they never touch (or collide with) a running `npm start`.
process.env.DATA_DIR ??= path.join(root, ".data/test");
process.env.PORT ??= "3100";
process.env.RUNNER_PORT ??= "3101";
process.env.LOG_LEVEL ??= "warn";
const e2eDb = path.join(process.env.DATA_DIR, "e2e.db");
process.env.DATABASE_URL ??= `file:${e2eDb}`;

const totals = { passed: 0, failed: 0, skipped: 0 };
const services = [];

function vitest(project) {
  step(`${project} tests (vitest)`);
  const out = path.join(process.env.DATA_DIR, `vitest-${project}.json`);
  const r = spawnSync(
    path.join(root, "node_modules/.bin/vitest"),
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { cwd: root, stdio: "inherit", env: process.env },
  );
  count(
    out,
    (j) => ({
      passed: j.numPassedTests,
      failed: j.numFailedTests + (r.status !== 0 && j.numFailedTests === 0 ? 1 : 0),
      skipped: j.numPendingTests + j.numTodoTests,
    }),
    r.status,
  );
}

/** Like vitest(project), without waiting: for a suite that shares nothing with the one beside it. */
function vitestInBackground(project) {
  step(`${project} tests (vitest), beside the next suite`);
  const out = path.join(process.env.DATA_DIR, `vitest-${project}.json`);
  const log = path.join(process.env.DATA_DIR, `vitest-${project}.log`);
  const fd = fs.openSync(log, "w");
  const child = spawn(
    path.join(root, "node_modules/.bin/vitest"),
    ["run", "--project", project, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    { cwd: root, stdio: ["ignore", fd, fd], env: process.env },
  );
  return new Promise((resolve) =>
    child.on("exit", (status) => {
      fs.closeSync(fd);
      step(`${project} tests (output kept in ${path.relative(root, log)})`);
      process.stdout.write(fs.readFileSync(log, "utf8"));
      count(
        out,
        (j) => ({
          passed: j.numPassedTests,
          failed: j.numFailedTests + (status !== 0 && j.numFailedTests === 0 ? 1 : 0),
          skipped: j.numPendingTests + j.numTodoTests,
        }),
        status,
      );
      resolve();
    }),
  );
}

function count(file, pick, status) {
  try {
    const c = pick(JSON.parse(fs.readFileSync(file, "utf8")));
    totals.passed += c.passed;
    totals.failed += c.failed;
    totals.skipped += c.skipped;
  } catch {
    totals.failed += status === 0 ? 0 : 1; // the runner crashed before writing its report
  }
}

/** Types, lint and format: one pass/fail each (tsc and eslint print what is wrong). */
function staticChecks() {
  step("static checks (tsc, eslint, prettier)");
  for (const [name, args] of [
    ["tsc", ["--noEmit", "-p", "tsconfig.json"]],
    ["eslint", ["."]],
    ["prettier", ["--check", ".", "--log-level", "warn"]],
    // The walls (contract/README.md): each side's own TypeScript project fails on an import across them.
    ["tsc", ["-p", "tsconfig.contract.json"]],
    ["tsc", ["-p", "tsconfig.runner.json"]],
    ["tsc", ["-p", "tsconfig.app.json"]],
  ]) {
    const r = spawnSync(path.join(root, "node_modules/.bin", name), args, { cwd: root, stdio: "inherit", env: process.env });
    const what = `${name} ${args.at(-1)}`;
    if (r.status === 0) {
      totals.passed += 1;
      console.log(`  ✓ ${what}`);
    } else {
      totals.failed += 1;
      console.log(`  ✗ ${what} found problems (above)`);
    }
  }
}

async function e2e(cfg) {
  step("end-to-end tests (Playwright, Debian's Chromium)");
  const [rc, ra] = runnerCommand();
  // This runner outlives every spec (sandboxes idle for 30 minutes): room for all of their learners.
  const runner = startService("sandbox runner", rc, ra, { SANDBOX_CAPACITY: process.env.SANDBOX_CAPACITY ?? "150" });
  services.push(runner);
  await waitForHttp(`${cfg.runnerUrl}/healthz`, 120_000, runner);
  const [ac, aa] = appCommand(cfg.port);
  const app = startService("web app", ac, aa, {});
  services.push(app);
  await waitForHttp(`http://127.0.0.1:${cfg.port}/`, 60_000, app);
  ok("app and runner are up");
  const out = path.join(process.env.DATA_DIR, "playwright.json");
  const r = spawnSync(path.join(root, "node_modules/.bin/playwright"), ["test", "--reporter=list,json"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, BASE_URL: `http://localhost:${cfg.port}`, PLAYWRIGHT_JSON_OUTPUT_NAME: out },
  });
  count(out, (j) => ({ passed: j.stats.expected, failed: j.stats.unexpected + j.stats.flaky * 0, skipped: j.stats.skipped }), r.status);
  await Promise.all(services.splice(0).map((s) => stopService(s)));
}

async function main() {
  preflight();
  ensureSystemPackages([...RUNNER_PACKAGES, ...TEST_PACKAGES]);
  ensureNpmPackages();
  const cfg = loadConfig();
  await ensurePortFree(cfg.port, "0.0.0.0", "web app for tests, PORT");
  await ensurePortFree(cfg.runnerPort, cfg.runnerHost, "sandbox runner for tests, RUNNER_PORT");
  ensureImage();
  fs.rmSync(e2eDb, { force: true }); // every run starts from an empty database
  ensureDatabase(cfg);
  ensureBuild(cfg);
  staticChecks();
  vitest("unit");
  const fleet = vitestInBackground("fleet");
  vitest("integration");
  await fleet;
  await e2e(cfg);
  console.log(`\n${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ""}`);
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}

const stopAll = () => Promise.all(services.splice(0).map((s) => stopService(s)));
process.on("SIGINT", () => stopAll().then(() => process.exit(130)));
main().catch(async (e) => {
  await stopAll();
  console.error(e instanceof SetupError ? `\n✗ ${e.message}` : e);
  process.exit(1);
});

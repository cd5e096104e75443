#!/usr/bin/env node
// `npm start`: installs what is missing, prepares image, database and build, then serves the platform
// (app on :PORT, runner on :RUNNER_PORT) until Ctrl-C, which stops everything it started.
import {
  ensureNpmPackages,
  ensurePortFree,
  ensureSystemPackages,
  preflight,
  RUNNER_PACKAGES,
  SetupError,
  startService,
  step,
  stopService,
  waitForHttp,
  ok,
} from "./lib/steps.mjs";
import { appCommand, ensureBuild, ensureDatabase, loadConfig, runnerCommand, startImageBuild } from "./lib/product.mjs";

const services = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  if (services.length) console.log("\nStopping…");
  await Promise.all(services.map((s) => stopService(s)));
  process.exit(code);
}

async function main() {
  preflight();
  ensureSystemPackages(RUNNER_PACKAGES);
  ensureNpmPackages();
  const cfg = loadConfig();
  await ensurePortFree(cfg.port, "0.0.0.0", "web app, PORT");
  await ensurePortFree(cfg.runnerPort, cfg.runnerHost, "sandbox runner, RUNNER_PORT");
  const image = startImageBuild();
  image.catch(() => undefined); // awaited below; a failure must not end the process before then
  ensureDatabase(cfg);
  ensureBuild(cfg);
  await image;
  ok("sandbox image ready");

  step("Starting");
  process.on("SIGINT", () => stopAll(0));
  process.on("SIGTERM", () => stopAll(0));

  const [rc, ra] = runnerCommand();
  const runner = startService("sandbox runner", rc, ra, {});
  services.push(runner);
  await waitForHttp(`${cfg.runnerUrl}/healthz`, 120_000, runner);
  ok(`runner ready on ${cfg.runnerUrl}`);
  const [ac, aa] = appCommand(cfg.port);
  const app = startService("web app", ac, aa, { PORT: String(cfg.port) });
  services.push(app);
  await waitForHttp(`http://127.0.0.1:${cfg.port}/`, 60_000, app);
  ok(`Aprendendo Docker is at http://localhost:${cfg.port}  (Ctrl-C stops it)`);
  for (const s of services)
    s.on("exit", (code) => {
      if (!stopping) {
        console.error(`${s.serviceName} stopped unexpectedly (exit ${code}).`);
        stopAll(1);
      }
    });
}

main().catch(async (e) => {
  console.error(e instanceof SetupError ? `\n✗ ${e.message}` : e);
  await stopAll(1);
});

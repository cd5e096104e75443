// The product's own preparation: configuration, sandbox image, database, production build, services.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { cached, fail, info, ok, root, run, SetupError, step } from "./steps.mjs";

const bin = (name) => path.join(root, "node_modules/.bin", name);

/** Validates every variable (exits naming the bad one) and fills in derived defaults. */
export function loadConfig() {
  step("Configuration");
  const r = spawnSync(bin("tsx"), ["scripts/check-config.ts"], { cwd: root, encoding: "utf8" });
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(2);
  }
  const cfg = JSON.parse(r.stdout);
  // Prisma's CLI must not try to download engines it will not use (see docs: Prisma with a driver adapter).
  const stub = path.join(root, "package.json");
  process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= stub;
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= stub;
  process.env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.DATABASE_URL ??= cfg.databaseUrl;
  process.env.DATA_DIR ??= cfg.dataDir;
  for (const line of cfg.tightened) info(line);
  fs.mkdirSync(cfg.runnerDir, { recursive: true });
  ok(`data in ${cfg.dataDir}, app on :${cfg.port}, runner on ${cfg.runnerHost}:${cfg.runnerPort}`);
  return { ...cfg, stampDir: path.join(cfg.dataDir, "stamps") };
}

export function ensureImage() {
  step("Sandbox image (built once; rebuilt only when its definition changes)");
  run(bin("tsx"), ["sandbox-runner/src/image/build-cli.ts"]);
}

/**
 * The same, in the background: the image build waits on the network and on dpkg's disk writes
 * while the database and `next build` want the CPU, so on a first start they overlap (the runner
 * needs the image, the web build does not). Its lines keep their "[  12.3 s] layer …" prefix.
 * Await the result before starting the runner.
 */
export function startImageBuild() {
  step("Sandbox image, in the background (built once; rebuilt only when its definition changes)");
  const child = spawn(bin("tsx"), ["sandbox-runner/src/image/build-cli.ts"], { stdio: "inherit", cwd: root, env: process.env });
  return new Promise((resolve, reject) => {
    child.on("error", (e) => reject(new SetupError(`Could not run the image build: ${e.message}`)));
    child.on("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(new SetupError(`The sandbox image build failed (${signal ?? `exit ${code}`}). Read its output above for the cause.`)),
    );
  });
}

/** `env`: overrides for the migration (e.g. the end-to-end suite's own DATABASE_URL). */
export function ensureDatabase(cfg, env = {}) {
  step("Database");
  const gen =
    cached(cfg.stampDir, "prisma-generate", ["prisma/schema.prisma", "prisma.config.ts", "node_modules/.package-lock.json"], () => {
      info("prisma generate");
      run(bin("prisma"), ["generate"]);
    }) || !fs.existsSync(path.join(root, "app/_generated/prisma"));
  if (gen && !fs.existsSync(path.join(root, "app/_generated/prisma"))) run(bin("prisma"), ["generate"]);
  info(`migrate deploy → ${env.DATABASE_URL ?? process.env.DATABASE_URL}`);
  run(bin("prisma"), ["migrate", "deploy"], { env });
  ok("database ready");
}

const BUILD_INPUTS = [
  "app",
  "content",
  "sandbox-runner/src",
  "next.config.ts",
  "tsconfig.json",
  "tsconfig.next.json",
  "package-lock.json",
  "prisma/schema.prisma",
  "prisma.config.ts",
  "proxy.ts",
  "middleware.ts",
  "public",
];

export function ensureBuild(cfg) {
  step("Lessons and production build");
  const built = cached(cfg.stampDir, "next-build", BUILD_INPUTS, () => {
    info("validating lessons");
    run(bin("tsx"), ["content/lib/validate-cli.ts"]);
    info("next build (first run: about a minute)");
    run(bin("next"), ["build"]);
  });
  if (!built && !fs.existsSync(path.join(root, ".next/BUILD_ID"))) {
    run(bin("next"), ["build"]);
  }
  ok(built ? "built" : "up to date (sources unchanged)");
}

export function runnerCommand() {
  return [bin("tsx"), ["sandbox-runner/src/main.ts"]];
}

export function appCommand(port) {
  return [process.execPath, [path.join(root, "scripts/app-server.mjs"), String(port)]];
}

export { fail };

/**
 * `npm run sandbox -- exec "<cmd>"` / `npm run sandbox -- shell`: a throwaway sandbox for authors
 * and operators, with a learner's limits and the same Image as the runner.
 *
 * The CLI keeps its sandboxes under its own runner dir (`runner/cli/<pid>`), never the server's: a
 * manager's init() removes whatever it finds in its dir, and that must not be a running server's
 * learners. Dirs of CLI runs that died (their pid is gone) are cleaned at the next CLI start.
 */
import { existsSync } from "node:fs";
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { CliUsageError, parseCliArgs, USAGE } from "./cli-args";
import { ConfigError, loadRunnerConfig, type RunnerConfig } from "./config/config";
import { ensureImage } from "./image";
import { SandboxManager, type SandboxImage } from "./sandbox/manager";

const log = pino({ level: process.env.LOG_LEVEL === "debug" ? "debug" : "warn" }, pino.destination(2));

function managerFor(cfg: RunnerConfig, image: SandboxImage, dir: string): SandboxManager {
  // A throwaway sandbox keeps nothing: its runner dir goes when the command ends.
  return new SandboxManager({ ...cfg, runnerDir: dir, SAVED_WORK_MAX_MB_PER_LEARNER: 0 }, image, log);
}

async function cleanDeadCliRuns(cfg: RunnerConfig, image: SandboxImage, cliDir: string): Promise<void> {
  for (const name of await readdir(cliDir).catch(() => [])) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || existsSync(`/proc/${pid}`)) continue;
    const dead = path.join(cliDir, name);
    await managerFor(cfg, image, dead).init(); // removes its containers, mounts, cgroups, dirs
    await rm(dead, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const cmd = parseCliArgs(process.argv.slice(2));
  if (cmd.kind === "help") {
    console.log(USAGE);
    return 0;
  }
  if (process.getuid?.() !== 0)
    throw new CliUsageError("The sandbox CLI needs root (it starts containers with runc): run it as root or with sudo.");
  const cfg = loadRunnerConfig();
  const image = await ensureImage({
    runnerDir: cfg.runnerDir,
    uidBase: cfg.SANDBOX_UID_BASE,
    uidCount: cfg.SANDBOX_UID_COUNT,
    onProgress: (p) => process.stderr.write(`image: ${p.step}${p.total ? ` (${p.done ?? 0}/${p.total})` : ""}\n`),
  });
  const cliDir = path.join(cfg.runnerDir, "cli");
  await cleanDeadCliRuns(cfg, image, cliDir);
  const own = path.join(cliDir, String(process.pid));
  const manager = managerFor(cfg, image, own);
  await manager.init();
  const cleanup = async () => {
    await manager.shutdown();
    await rm(own, { recursive: true, force: true });
  };
  for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(sig, () => void cleanup().then(() => process.exit(130)));
  try {
    const sandbox = await manager.create(`cli:${process.env.SUDO_USER ?? process.env.USER ?? "root"}`, { shell: cmd.kind !== "exec" });
    if (cmd.kind === "exec") {
      const r = await manager.exec(sandbox.id, cmd.script, { timeoutMs: cmd.timeoutMs, maxOutputBytes: 16 * 1024 * 1024 });
      process.stdout.write(r.output);
      if (r.truncated) process.stderr.write("\n[output truncated at 16 MiB]\n");
      if (r.timedOut) {
        process.stderr.write(`\n[timed out after ${cmd.timeoutMs / 1000} s]\n`);
        return 124;
      }
      return r.exitCode;
    }
    return await interactive(manager, sandbox.id);
  } finally {
    await cleanup();
  }
}

async function interactive(manager: SandboxManager, id: string): Promise<number> {
  const { stdin, stdout } = process;
  const term = await manager.spawnTerminal(id, { cols: stdout.columns || 80, rows: stdout.rows || 24 });
  if (stdin.isTTY) stdin.setRawMode(true);
  stdin.resume();
  const onInput = (d: Buffer) => term.write(d);
  stdin.on("data", onInput);
  const onResize = () => term.resize(stdout.columns || 80, stdout.rows || 24);
  stdout.on("resize", onResize);
  term.onData((d) => stdout.write(d));
  return new Promise((resolve) =>
    term.onExit(({ exitCode }) => {
      stdin.off("data", onInput);
      stdout.off("resize", onResize);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
      resolve(exitCode);
    }),
  );
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof CliUsageError) console.error(`${e.message}\n\n${USAGE}`);
    else if (e instanceof ConfigError) console.error(e.message);
    else console.error(`sandbox: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);

// Bootstrap steps shared by `npm start` and `npm test`. Plain Node (no dependencies): this file runs
// before `node_modules` exists. Each step prints what it is doing; long ones stream their own progress.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const color = process.stdout.isTTY ? (c, s) => `\x1b[${c}m${s}\x1b[0m` : (_c, s) => s;
let stepNo = 0;
/** Reserves `count` step numbers, for steps another thread prints; returns the number before them. */
export function reserveSteps(count) {
  const first = stepNo;
  stepNo += count;
  return first;
}
/** Numbers the steps printed from here on after `n` (in a thread given reserved numbers). */
export function continueStepsAfter(n) {
  stepNo = n;
}
export function step(title) {
  stepNo += 1;
  console.log(color("1;36", `\n▶ [${stepNo}] ${title}`));
}
export const info = (msg) => console.log(color("2", `  ${msg}`));
export const ok = (msg) => console.log(color("32", `  ✓ ${msg}`));

/** A failure the person can act on: printed without a stack trace, exit code 1. */
export class SetupError extends Error {}
export function fail(message) {
  throw new SetupError(message);
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: "inherit", cwd: root, ...opts, env: { ...process.env, ...opts.env } });
  if (r.error) fail(`Could not run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(" ")} failed (exit ${r.status}). Read the output above for the cause.`);
}

export const has = (bin) => spawnSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" }).status === 0;

/** Hash of files and folders (contents + paths), for "redo this step only when its inputs changed". */
export function hashInputs(inputs) {
  const h = createHash("sha256");
  const walk = (p) => {
    const abs = path.join(root, p);
    if (!fs.existsSync(abs)) return h.update(`missing:${p}\n`);
    const st = fs.statSync(abs);
    if (st.isDirectory()) {
      for (const e of fs.readdirSync(abs).sort()) {
        if (e === "node_modules" || e === ".next" || e === "_generated" || e.endsWith(".test.ts") || e.endsWith(".test.tsx")) continue;
        walk(path.join(p, e));
      }
    } else {
      h.update(`${p}\n`);
      h.update(fs.readFileSync(abs));
    }
  };
  inputs.forEach(walk);
  return h.digest("hex");
}

/** Runs fn only when the hash of `inputs` differs from the last successful run (stamp in DATA_DIR). */
export function cached(stampDir, name, inputs, fn) {
  const stamp = path.join(stampDir, `${name}.stamp`);
  const digest = hashInputs(inputs);
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) return false;
  fn();
  fs.mkdirSync(stampDir, { recursive: true });
  fs.writeFileSync(stamp, digest);
  return true;
}

// --- the machine -----------------------------------------------------------------------------

/** Checks that this machine can run containers at all, with a message saying what to do. */
export function preflight() {
  step("Checking this machine");
  if (process.platform !== "linux")
    fail(`This platform runs Linux containers and needs a Linux host; this is ${process.platform}. Use a Debian or Ubuntu machine or VM.`);
  if (typeof process.getuid === "function" && process.getuid() !== 0)
    fail(
      "The sandbox runner needs root (like any container engine: it creates namespaces, cgroups and mounts). Run as root, e.g. `sudo npm start`.",
    );
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js ${process.versions.node} is too old: install Node.js 20.19 or newer.`);
  const maxUserNs = readInt("/proc/sys/user/max_user_namespaces");
  if (maxUserNs === 0)
    fail(
      "This kernel has user namespaces disabled (/proc/sys/user/max_user_namespaces is 0). Enable them: `sysctl -w user.max_user_namespaces=15000`.",
    );
  // Each sandbox's user namespace is created by an unprivileged uid of its own (its kernel counters
  // are then its own: docs/security.md). Ubuntu 23.10+ refuses that through AppArmor by default.
  if (readInt("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") === 1)
    fail(
      "This kernel refuses user namespaces created by unprivileged uids (AppArmor: kernel.apparmor_restrict_unprivileged_userns = 1, Ubuntu's default). " +
        "The runner creates each sandbox's user namespace as a uid of its own, so that one sandbox cannot use up kernel counters shared with the others. " +
        "Allow it: `sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (keep it with a line in /etc/sysctl.d/60-curso.conf) and start again.",
    );
  if (!fs.existsSync("/proc/self/ns/user"))
    fail("This kernel has no user namespaces (CONFIG_USER_NS). Use a kernel built with them (any current Debian/Ubuntu kernel).");
  if (!fs.readFileSync("/proc/filesystems", "utf8").includes("overlay")) {
    spawnSync("modprobe", ["overlay"], { stdio: "ignore" });
    if (!fs.readFileSync("/proc/filesystems", "utf8").includes("overlay"))
      fail(
        "This kernel has no overlayfs (the image layers are stacked with it). Run `modprobe overlay` or use a kernel with CONFIG_OVERLAY_FS.",
      );
  }
  ok(`Linux ${fs.readFileSync("/proc/sys/kernel/osrelease", "utf8").trim()}, root, user namespaces, overlayfs`);
}

function readInt(file) {
  try {
    return Number.parseInt(fs.readFileSync(file, "utf8"), 10);
  } catch {
    return undefined;
  }
}

/** Debian packages the runner needs (binary or file that proves each is there). */
export const RUNNER_PACKAGES = [
  ["runc", "runc"],
  ["mmdebstrap", "mmdebstrap"],
  ["umoci", "umoci"],
  ["uidmap", "newuidmap"],
  ["rsync", "rsync"],
  ["golang-github-containers-common", "/usr/share/containers/seccomp.json"],
  ["iproute2", "ip"],
  // The runner makes each PTY master non-blocking with a tiny perl (terminal/nonblocking.ts); Essential on Debian.
  ["perl-base", "perl"],
];
export const TEST_PACKAGES = [
  ["chromium", "chromium"],
  ["fonts-dejavu-core", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"],
];

export function ensureSystemPackages(list) {
  step("System packages");
  const missing = list.filter(([, probe]) => (probe.startsWith("/") ? !fs.existsSync(probe) : !has(probe))).map(([pkg]) => pkg);
  if (missing.length === 0) return ok(`present: ${list.map(([p]) => p).join(", ")}`);
  if (!has("apt-get"))
    fail(
      `Missing system packages: ${missing.join(", ")}, and this machine has no apt-get. Install them with your package manager (runc ≥ 1.1 is required), then run again.`,
    );
  info(`installing with apt: ${missing.join(", ")}`);
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-q"], { env });
  run("apt-get", ["install", "-y", "-q", "--no-install-recommends", ...missing], { env });
  ok(`installed ${missing.join(", ")}`);
}

export function ensureNpmPackages() {
  step("npm packages");
  const lock = path.join(root, "package-lock.json");
  const installed = path.join(root, "node_modules/.package-lock.json");
  const fresh = fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs;
  if (fresh) return ok("node_modules is up to date");
  info("npm ci (first run: a minute or two)");
  run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  ok("installed");
}

/** Fails early, before long steps, when a port we are about to listen on is taken. */
export async function ensurePortFree(port, host, what) {
  const net = await import("node:net");
  await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", (e) =>
      reject(
        new SetupError(
          e.code === "EADDRINUSE"
            ? `Port ${port} (${what}) is already in use. Stop what is using it (\`ss -ltnp 'sport = :${port}'\` shows it) or choose another port with the variable named in the README.`
            : `Cannot listen on ${host}:${port} (${what}): ${e.message}`,
        ),
      ),
    );
    srv.listen(port, host, () => srv.close(resolve));
  });
}

/**
 * Starts a long-running child; returns a handle that stops it and its children. `out`: a file
 * descriptor for its output (a suite running in the background keeps it for the end), else ours.
 */
export function startService(name, cmd, args, env, out = "inherit") {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", out, out], detached: true });
  child.serviceName = name;
  return child;
}

export function stopService(child, signal = "SIGTERM") {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    }, 15000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    try {
      process.kill(-child.pid, signal);
    } catch {
      resolve();
    }
  });
}

export async function waitForHttp(url, timeoutMs, child) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null)
      fail(`${child.serviceName} exited (code ${child.exitCode}) before answering ${url}: see its output above.`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  fail(`${url} did not answer within ${timeoutMs / 1000}s.`);
}

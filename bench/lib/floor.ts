/**
 * The floor for "sandbox ready": bare `runc run` of the same Bundle config the runner writes
 * (same seccomp filter, namespaces, limits, id-mapped overlay on a fresh size-capped tmpfs), but
 * with `bash -l` on a terminal as the container's process and nothing in between: no HTTP, no
 * WebSocket, no Node relaying. Timed from before the overlay is mounted to the prompt mark.
 */
import { spawn as spawnChild } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as pty from "node-pty";
import { cgroupMountPoints, cgroupParentFor, cgroupsPathFor, removeCgroup } from "../../sandbox-runner/src/container/cgroups";
import { mountSnapshot, unmountAll } from "../../sandbox-runner/src/container/mounts";
import type { OciConfig } from "../../sandbox-runner/src/container/spec";
import { PROMPT_MARK } from "./term-socket";

export interface FloorOptions {
  /** A config.json the runner wrote for one of its sandboxes. */
  config: OciConfig;
  lowerDirs: string[];
  workDir: string;
  uidBase: number;
  diskMb: number;
}

export interface FloorSample {
  firstByteMs: number;
  promptMs: number;
}

function run(cmd: string, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const c = spawnChild(cmd, args, { stdio: "ignore" });
    c.on("error", () => resolve(null));
    c.on("exit", (code) => resolve(code));
  });
}

export async function cleanFloor(workDir: string): Promise<void> {
  await unmountAll(workDir).catch(() => undefined);
  await rm(workDir, { recursive: true, force: true });
}

export async function floorRound(o: FloorOptions, n: number): Promise<FloorSample> {
  const id = `floor-${process.pid}-${n}`;
  const dir = path.join(o.workDir, id);
  const stateDir = path.join(o.workDir, "runc");
  const cgroupsPath = cgroupsPathFor(cgroupParentFor(o.workDir), id);
  await mkdir(stateDir, { recursive: true });
  const t0 = performance.now();
  const rootfs = await mountSnapshot({ dir, lowerDirs: o.lowerDirs, diskMb: o.diskMb, uidBase: o.uidBase });
  const config: OciConfig = structuredClone(o.config);
  config.root.path = rootfs;
  config.hostname = id.slice(0, 20);
  config.linux.cgroupsPath = cgroupsPath;
  // The runner joins a user namespace it made as the sandbox's own owner uid (userns.ts); bare runc
  // makes its own from the same mappings, as the runner used to: that is the floor.
  config.linux.namespaces = config.linux.namespaces.map((ns) => (ns.type === "user" ? { type: "user" } : ns));
  // /oci is an overlay the runner mounts in each sandbox's own dir (gone with that sandbox): a prompt needs none of it.
  config.mounts = config.mounts.filter((m) => m.destination !== "/oci");
  config.process.terminal = true;
  config.process.args = ["/bin/bash", "-l"];
  config.process.env = [...config.process.env.filter((e) => !/^(TERM|HOME)=/.test(e)), "TERM=xterm-256color", "HOME=/root"];
  const bundle = path.join(dir, "bundle");
  await mkdir(bundle, { recursive: true });
  await writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
  const p = pty.spawn("runc", ["--root", stateDir, "run", "--bundle", bundle, id], {
    name: "xterm-256color",
    cols: 80,
    rows: 24,
    cwd: "/",
    env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
  });
  let firstByte = 0;
  let seen = "";
  try {
    const promptAt = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`bare runc run printed no prompt within 20 s: ${JSON.stringify(seen.slice(-300))}`)),
        20_000,
      );
      p.onData((d) => {
        const now = performance.now();
        if (!firstByte) firstByte = now;
        seen = (seen + d).slice(-8192);
        if (seen.includes(PROMPT_MARK)) {
          clearTimeout(timer);
          resolve(now);
        }
      });
      p.onExit((e) => reject(new Error(`bare runc run exited (${e.exitCode}) before a prompt: ${JSON.stringify(seen.slice(-300))}`)));
    });
    return { firstByteMs: firstByte - t0, promptMs: promptAt - t0 };
  } finally {
    await run("runc", ["--root", stateDir, "kill", id, "KILL"]);
    await run("runc", ["--root", stateDir, "delete", "--force", id]);
    try {
      p.kill("SIGKILL");
    } catch {
      /* gone */
    }
    await unmountAll(dir).catch(() => undefined);
    for (const mp of cgroupMountPoints()) await removeCgroup(path.join(mp, cgroupsPath)).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

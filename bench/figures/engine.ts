/**
 * Nested `docker run`: create → exit of `docker run --rm busybox true` inside a learner's sandbox
 * (podman + crun in the sandbox's user namespace, overlay on its engine tmpfs), timed inside the
 * sandbox so the runner's exec channel is not counted; against the floor: a bare `runc run` on the
 * host of the same busybox root filesystem (the one in the Image's read-only image store). Rounds
 * interleave.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readdir, realpath, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { measured, side, type Figure } from "../lib/results";
import type { RunnerProcess } from "../lib/runner-process";

const STORE = "usr/lib/containers/storage/overlay";

/** The busybox layer's diff dir inside the images Layer's Snapshot (the only layer holding bin/busybox alone). */
export async function findBusyboxRootfs(snapshotDirs: string[]): Promise<string> {
  for (const snap of snapshotDirs) {
    const store = path.join(snap, STORE);
    if (!existsSync(store)) continue;
    for (const id of await readdir(store)) {
      const diff = path.join(store, id, "diff");
      // runc wants the rootfs as a real path (the bench's image dir is a symlink to the tests' one).
      if (existsSync(path.join(diff, "bin/busybox")) && !existsSync(path.join(diff, "usr/bin/perl"))) return realpath(diff);
    }
  }
  throw new Error("no busybox layer in the Image's image store: rebuild the Image (it has no images layer?)");
}

function bareRuncRound(stateDir: string, bundle: string, id: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn("runc", ["--root", stateDir, "run", "--bundle", bundle, id], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    c.stdout.on("data", (b: Buffer) => (out += b));
    c.stderr.on("data", (b: Buffer) => (out += b));
    c.on("error", reject);
    c.on("close", (code) => (code === 0 ? resolve(performance.now() - t0) : reject(new Error(`bare runc run failed (${code}): ${out}`))));
  });
}

/** A minimal OCI bundle: busybox's rootfs read-only, `true`, new namespaces, no terminal. */
async function bareBundle(dir: string, rootfs: string): Promise<string> {
  const bundle = path.join(dir, "bundle");
  await mkdir(bundle, { recursive: true });
  const config = {
    ociVersion: "1.0.2",
    process: {
      terminal: false,
      user: { uid: 0, gid: 0 },
      args: ["/bin/true"],
      env: ["PATH=/bin"],
      cwd: "/",
      noNewPrivileges: true,
    },
    root: { path: rootfs, readonly: true },
    hostname: "bare",
    mounts: [
      { destination: "/proc", type: "proc", source: "proc" },
      { destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"] },
    ],
    linux: {
      namespaces: ["pid", "network", "ipc", "uts", "mount"].map((type) => ({ type })),
    },
  };
  await writeFile(path.join(bundle, "config.json"), JSON.stringify(config));
  return bundle;
}

export async function measureEngine(
  r: RunnerProcess,
  o: { rounds: number; snapshotDirs: string[]; log: (s: string) => void },
): Promise<Record<string, Figure>> {
  const rootfs = await findBusyboxRootfs(o.snapshotDirs);
  const work = path.join(r.dataDir, "bench-engine");
  await rm(work, { recursive: true, force: true });
  const bundle = await bareBundle(work, rootfs);
  const stateDir = path.join(work, "runc");
  const sb = await r.client.createSandbox("bench-engine");
  try {
    // One untimed run each: the first nested run creates the engine's storage dirs.
    const warm = await r.client.exec(sb.id, "docker run --rm busybox true", { timeoutMs: 120_000 });
    if (warm.exitCode !== 0) throw new Error(`docker run in the sandbox failed: ${warm.output}`);
    await bareRuncRound(stateDir, bundle, `bench-engine-warm-${process.pid}`);
    const product: number[] = [];
    const floor: number[] = [];
    const timed = `s=$(date +%s%N); docker run --rm busybox true; e=$(date +%s%N); echo "ms $(( (e - s) / 1000 ))"`;
    for (let i = 0; i < o.rounds; i++) {
      const p = async () => {
        const res = await r.client.exec(sb.id, timed, { timeoutMs: 120_000 });
        const us = Number(res.output.match(/^ms (\d+)$/m)?.[1]);
        if (res.exitCode !== 0 || !Number.isFinite(us)) throw new Error(`docker run round ${i} failed: ${res.output}`);
        product.push(us / 1000);
      };
      const f = async () => floor.push(await bareRuncRound(stateDir, bundle, `bench-engine-${process.pid}-${i}`));
      if (i % 2) {
        await p();
        await f();
      } else {
        await f();
        await p();
      }
    }
    const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!.toFixed(1);
    o.log(`engine: nested docker run p50 ${p50(product)} ms, bare runc run ${p50(floor)} ms`);
    const fig = measured({
      title: "Nested docker run (busybox, create → exit)",
      unit: "ms",
      better: "lower",
      product: side("docker run --rm busybox true inside a sandbox (podman + crun)", product),
      baseline: side("bare runc run of the same busybox rootfs on the host", floor),
      goal: "measured beside its baseline (no target)",
      notes: "Timed inside the sandbox with date +%s%N; the sandbox has SANDBOX_CPUS of CPU, the bare runc the whole host.",
    });
    fig.met = null;
    return { engineRun: fig };
  } finally {
    await r.client.destroySandbox(sb.id);
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * `npx tsx sandbox-runner/src/image/build-cli.ts`: builds the sandbox Image if its definition
 * changed (or it was never built), unpacks its Snapshots, and prints the result.
 * Uses the runner's configuration (DATA_DIR, SANDBOX_UID_BASE, SANDBOX_UID_COUNT).
 */
import { loadRunnerConfig } from "../config/config";
import { ensureImage } from "./index";

async function main(): Promise<void> {
  const cfg = loadRunnerConfig();
  const started = Date.now();
  const stamp = () => `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s]`;
  const image = await ensureImage({
    runnerDir: cfg.runnerDir,
    uidBase: cfg.SANDBOX_UID_BASE,
    uidCount: cfg.SANDBOX_UID_COUNT,
    onProgress: (p) => console.log(`${stamp()} ${p.step}${p.total !== undefined ? ` (${p.done ?? 0}/${p.total})` : ""}`),
  });
  console.log(`${stamp()} Image ${image.name}:${image.tag}`);
  console.log(`  layout:   ${image.layoutDir}`);
  console.log(`  manifest: ${image.manifestDigest}`);
  console.log(`  config:   ${image.configDigest}`);
  image.layers.forEach((l, i) => {
    console.log(`  layer ${i + 1}: ${l.digest} (${(l.size / 1e6).toFixed(1)} MB compressed)`);
    console.log(`           diffId ${l.diffId}`);
    console.log(`           snapshot ${l.snapshotDir}`);
  });
}

main().catch((err: unknown) => {
  console.error(`Image build failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});

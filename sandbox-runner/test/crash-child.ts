/**
 * A runner that dies mid-work: creates sandboxes, starts a long exec in one, reports their ids on
 * stdout, then waits to be SIGKILLed by the test (lifecycle.int.test.ts).
 */
import { SandboxManager } from "../src/sandbox/manager";
import { testConfig, testImage, testLogger } from "./image-fixture";

async function main(): Promise<void> {
  // CRASH_CHILD_SAVE_AS=<owner>: saved work on, the first sandbox is that owner's with a file in it.
  const saveAs = process.env.CRASH_CHILD_SAVE_AS;
  const cfg = testConfig(saveAs ? { SAVED_WORK_MAX_MB_PER_LEARNER: "4" } : {});
  const m = new SandboxManager(cfg, await testImage(cfg), testLogger());
  await m.init();
  const n = Number(process.argv[2] ?? 3);
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await m.create(i === 0 && saveAs ? saveAs : `crash-${i}`)).id);
  if (saveAs) await m.exec(ids[0]!, "echo 'from before the crash' > /root/crash.txt");
  void m.exec(ids[0]!, "sleep 1000", { timeoutMs: 1_000_000 });
  const term = await m.spawnTerminal(ids[1] ?? ids[0]!, { cols: 80, rows: 24 });
  term.write("sleep 1000\r");
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write(JSON.stringify({ ids }) + "\n");
  setInterval(() => undefined, 1000);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

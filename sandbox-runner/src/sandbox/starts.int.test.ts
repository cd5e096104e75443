/**
 * Creation spread out, on real containers: with SANDBOX_STARTS_AT_ONCE=1, a warm pool refilling
 * three sandboxes and a burst of learners arriving meanwhile never have two `runc run` at once.
 * Observed from outside the runner: RUNC_BINARY is a wrapper that counts the `runc run`s under way
 * (and holds each one a second, so starts that were allowed together would overlap for sure).
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager } from "./manager";
import { TEST_DATA_DIR, testConfig, testImage, testLogger } from "../../test/image-fixture";

const dir = TEST_DATA_DIR + "-starts";
const counter = path.join(dir, "runc-counter");
const wrapper = path.join(dir, "runc-wrapper.sh");
let m: SandboxManager;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `runc --root R --log L --log-format json run …` (runc.ts): only `run` has a 7th argument `run` after `--log`. */
const WRAPPER = `#!/bin/sh
c=${counter}
if [ "$3" != --log ] || [ "$7" != run ]; then exec runc "$@"; fi
( flock 9; n=$(( $(cat $c/now) + 1 )); echo $n > $c/now; if [ $n -gt $(cat $c/max) ]; then echo $n > $c/max; fi ) 9>$c/lock
sleep 1
runc "$@"; rc=$?
( flock 9; echo $(( $(cat $c/now) - 1 )) > $c/now; echo x >> $c/runs ) 9>$c/lock
exit $rc
`;
const read = (f: string) => readFileSync(path.join(counter, f), "utf8");

beforeAll(async () => {
  mkdirSync(counter, { recursive: true });
  for (const f of ["now", "max"]) writeFileSync(path.join(counter, f), "0\n");
  writeFileSync(path.join(counter, "runs"), "");
  writeFileSync(wrapper, WRAPPER);
  chmodSync(wrapper, 0o755);
  const image = await testImage(testConfig());
  const cfg = testConfig({
    DATA_DIR: dir,
    RUNC_BINARY: wrapper,
    SANDBOX_CAPACITY: "8",
    SANDBOX_POOL_SIZE: "3",
    SANDBOX_STARTS_AT_ONCE: "1",
  });
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
});
afterAll(async () => {
  await m?.shutdown();
});

describe("sandbox starts are spread out", () => {
  it("a pool refill and a burst of learners never bring up more than SANDBOX_STARTS_AT_ONCE at once", async () => {
    // The pool starts filling (3) as init ends; four learners arrive while it does.
    const learners = await Promise.all(["a", "b", "c", "d"].map((o) => m.create(o)));
    expect(learners.map((s) => s.state)).toEqual(["running", "running", "running", "running"]);
    // Wait for every start to end: the learners' four and the pool's three (its come after the learners').
    const runs = () => read("runs").split("\n").filter(Boolean).length;
    while (runs() < 7 || Number(read("now")) !== 0) await sleep(200);
    expect(Number(read("max"))).toBe(1);
    // The last start's bring-up goes on a little after its `runc run`: then the pool holds its three.
    while (m.stats().pool.ready < 3) await sleep(100);
    expect(m.stats().starts).toMatchObject({ active: 0, peak: 1, waiting: 0 });
    for (const s of learners) await m.destroy(s.id);
  }, 180_000);
});

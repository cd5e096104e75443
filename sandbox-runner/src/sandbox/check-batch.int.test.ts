/**
 * A batch of Checks in one exec, on a real runc sandbox: results in order and exact, each Check
 * bounded by its own timeout and output cap, and a hostile learner (root inside) who forges marks,
 * reads the request or floods the channel changes nothing but their own Checks' results.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type SandboxInfo } from "./manager";
import { CHECK_OUTPUT_MAX, runCheckBatch, type BatchCheck } from "./check-batch";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig({ DATA_DIR: testConfig().DATA_DIR + "-checks" });
let m: SandboxManager;
let sb: SandboxInfo;
let other: SandboxInfo;

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(testConfig()), testLogger());
  await m.init();
  [sb, other] = await Promise.all([m.create("batch-learner", { shell: false }), m.create("batch-neighbour", { shell: false })]);
});
afterAll(async () => {
  await m?.shutdown();
});

const nonce = () => randomBytes(16).toString("hex");
const batch = (id: string, checks: BatchCheck[], n = nonce()) => runCheckBatch((s, o) => m.exec(id, s, o), checks, n);
const check = (id: string, script: string, timeoutMs = 5000): BatchCheck => ({ id, script, timeoutMs });

describe("a batch of Checks in one exec", () => {
  it("gives each Check its own status and exact output, stderr merged in order, in the order asked", async () => {
    const r = await batch(sb.id, [
      check("a", "echo one; echo two >&2; exit 0"),
      check("b", "printf 'no newline'; exit 3"),
      check("c", `echo "it's $COURSE_LANG"; cat; exit 0`),
      check("d", "export COURSE_LANG=en\necho $COURSE_LANG; false"),
    ]);
    expect(r.map((x) => [x.id, x.exitCode, x.output, x.timedOut, x.truncated])).toEqual([
      ["a", 0, "one\ntwo\n", false, false],
      ["b", 3, "no newline", false, false],
      // No stdin (it would wait for ever), and no variable leaks from one Check into the next.
      ["c", 0, "it's \n", false, false],
      ["d", 1, "en\n", false, false],
    ]);
  });

  it("a Check over its timeout is stopped and reported; the next one still runs", async () => {
    const r = await batch(sb.id, [check("slow", "echo started; sleep 60; echo never", 1000), check("next", "echo next-ran")]);
    expect(r[0]).toMatchObject({ id: "slow", timedOut: true, output: "started\n" });
    expect(r[0]!.exitCode).not.toBe(0);
    expect(r[1]).toMatchObject({ id: "next", exitCode: 0, output: "next-ran\n", timedOut: false });
  });

  it("a background process a Check leaves running does not stall the batch", async () => {
    const r = await batch(sb.id, [check("bg", "(sleep 60; echo late) & echo left"), check("after", "echo after")]);
    expect(r.map((x) => [x.exitCode, x.output])).toEqual([
      [0, "left\n"],
      [0, "after\n"],
    ]);
  });

  it("a flooding Check is cut at its cap and stopped by its timeout; the others are intact", async () => {
    const r = await batch(sb.id, [check("flood", "yes", 1000), check("ok", "echo fine")]);
    expect(r[0]!.truncated).toBe(true);
    expect(r[0]!.exitCode).not.toBe(0);
    expect(Buffer.byteLength(r[0]!.output)).toBe(CHECK_OUTPUT_MAX);
    expect(r[1]).toMatchObject({ exitCode: 0, output: "fine\n" });
  });
});

describe("the batch channel against a hostile learner", () => {
  it("forged marks: another nonce's, or a later Check's own index, change no other Check's result", async () => {
    const n = nonce();
    const r = await batch(
      sb.id,
      [
        // Marks with a wrong nonce are output like any other text.
        check("fake-other", `printf '\\n%s end 0 0 1\\n' ${"0".repeat(32)}; exit 5`),
        // With the batch's own nonce (root inside can read it from argv) it forges its own Check's status: the
        // learner's own result in their own sandbox, as with exec's trailer; the next Check's marks are searched after it.
        check("own", `printf 'x\\n%s end 1 0 1\\n%s begin 2\\nforged\\n%s end 2 0 1\\n' ${n} ${n} ${n}; exit 9`),
        check("real", "echo real; exit 4"),
      ],
      n,
    );
    expect(r[0]).toMatchObject({ exitCode: 5, output: `\n${"0".repeat(32)} end 0 0 1\n` });
    expect(r[1]!.exitCode).toBe(0); // forged by the learner, for their own Check
    expect(r[2]).toMatchObject({ exitCode: 4, output: "real\n" });
  });

  it("a request cannot be read from another sandbox, and the batch leaves no file or process behind", async () => {
    const secret = `req-${nonce()}`;
    // The neighbour watches its whole /proc while the learner's batch runs (its pattern does not match itself).
    const watching = m.exec(
      other.id,
      `for i in $(seq 1 40); do cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' '; sleep 0.05; done | grep -c 'r[e]${secret.slice(2)}'; true`,
      { timeoutMs: 30_000 },
    );
    const r = await batch(sb.id, [check("slowish", `sleep 1; echo ${secret}`)]);
    expect(r[0]).toMatchObject({ exitCode: 0, output: `${secret}\n` });
    expect((await watching).output.trim()).toBe("0");
    const left = await m.exec(sb.id, `ls /tmp | grep -c '^tmp\\.' ; ps -eo args | grep -c '[t]imeout -k'; true`);
    expect(left.output.trim().split("\n")).toEqual(["0", "0"]);
  });

  it("a learner flooding the batch's stdout from outside the Check: the batch ends capped, the runner keeps serving", async () => {
    // A background writer (what root in the sandbox can do) that finds the batch's driver and writes into its stdout.
    await m.exec(
      sb.id,
      `(exec -a flooder bash -c 'for i in $(seq 1 400); do p=$(pgrep -f "__b[g] 0 " | head -1); [ -n "$p" ] && exec yes > /proc/$p/fd/1; sleep 0.02; done') >/dev/null 2>&1 &`,
    );
    const r = await batch(sb.id, [check("victim", "sleep 2; echo done", 5000), check("second", "echo second")]);
    // Its own Checks may fail (their output is drowned), but the runner bounded what it read.
    // The flood filled the exec's cap (what the runner reads of a batch) before the marks came: every
    // Check of this batch fails, marked truncated.
    expect(r.map((x) => [x.exitCode !== 0, x.truncated])).toEqual([
      [true, true],
      [true, true],
    ]);
    for (const x of r) expect(Buffer.byteLength(x.output)).toBeLessThanOrEqual(2 * (CHECK_OUTPUT_MAX + 201));
    await m.exec(sb.id, "pkill -f flooder; pkill yes; true");
    // And the sandbox and the runner answer the next batch normally.
    const again = await batch(sb.id, [check("again", "echo ok")]);
    expect(again[0]).toMatchObject({ exitCode: 0, output: "ok\n" });
  });
});

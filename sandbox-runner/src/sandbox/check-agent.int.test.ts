/**
 * The Check agent on a real runc sandbox: batches go through one long-lived process started by one
 * `runc exec`, answer exactly as the one-exec batch does, the agent is visible and confined like any
 * exec, and when it is lost the Checks still answer. The learner's attacks on it are in
 * security/escape.int.test.ts.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cgroupParentFor, cgroupsPathFor } from "../container/cgroups";
import { SandboxManager, type BatchCheck, type CheckPathStats, type SandboxInfo } from "./manager";
import { AGENT_NAME } from "./check-agent-protocol";
import { isSandboxProcess } from "./process-tree";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

const cfg = testConfig({ DATA_DIR: testConfig().DATA_DIR + "-checks" });
let m: SandboxManager;
let sb: SandboxInfo;

beforeAll(async () => {
  m = new SandboxManager(cfg, await testImage(testConfig()), testLogger());
  await m.init();
  sb = await m.create("agent-learner", { shell: false });
});
afterAll(async () => {
  await m?.shutdown();
});

const check = (id: string, script: string, timeoutMs = 5000): BatchCheck => ({ id, script, timeoutMs });
const delta = (a: CheckPathStats, b: CheckPathStats) =>
  Object.fromEntries(Object.keys(a).map((k) => [k, b[k as keyof CheckPathStats] - a[k as keyof CheckPathStats]]));

/** Host pids of a sandbox's processes whose argv0 is `name`. */
function hostPidsNamed(id: string, name: string): number[] {
  const cg = cgroupsPathFor(cgroupParentFor(cfg.runnerDir), id);
  const pids: number[] = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    let argv0 = "";
    let text = "";
    try {
      argv0 = readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0")[0]!;
      text = readFileSync(`/proc/${p}/cgroup`, "utf8");
    } catch {
      continue;
    }
    if (argv0 === name && text.includes(cg)) pids.push(Number(p));
  }
  return pids;
}

/** What a process's confinement is made of, from the host: ids, capabilities, seccomp, no_new_privs, namespaces. */
function confinement(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const fields = ["Uid", "Gid", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Seccomp"].map(
    (f) => new RegExp(`^${f}:\\s*(.*)$`, "m").exec(status)?.[1],
  );
  const ns = ["user", "pid", "mnt", "net", "uts", "ipc", "cgroup"].map((n) => readlinkSync(`/proc/${pid}/ns/${n}`));
  return { fields, ns, cgroup: readFileSync(`/proc/${pid}/cgroup`, "utf8") };
}

describe("Checks through the sandbox's Check agent", () => {
  it("N batches, one runc exec: the agent answers them all, as the one-exec batch does", async () => {
    const before = m.checkPathStats();
    const batch = [
      check("a", "echo one; echo two >&2; exit 0"),
      check("b", "printf 'no newline'; exit 3"),
      check("c", `echo "it's $COURSE_LANG"; cat; exit 0`),
      check("d", "export COURSE_LANG=en\necho $COURSE_LANG; false"),
    ];
    for (let i = 0; i < 5; i++) {
      const r = await m.runChecks(sb.id, i % 2 ? batch : [check("alone", `echo round ${i}; exit ${i}`)]);
      expect(r.map((x) => [x.id, x.exitCode, x.output, x.timedOut, x.truncated])).toEqual(
        i % 2
          ? [
              ["a", 0, "one\ntwo\n", false, false],
              ["b", 3, "no newline", false, false],
              // No stdin, and no variable leaks from one Check into the next.
              ["c", 0, "it's \n", false, false],
              ["d", 1, "en\n", false, false],
            ]
          : [["alone", i, `round ${i}\n`, false, false]],
      );
    }
    expect(delta(before, m.checkPathStats())).toEqual({ runcExecs: 1, agentStarts: 1, agentBatches: 5, execBatches: 0, agentsLost: 0 });
  });

  it("a Check over its timeout, one left running in the background, one flooding: bounded as before, the agent stays", async () => {
    const before = m.checkPathStats();
    const r = await m.runChecks(sb.id, [
      check("slow", "echo started; sleep 60; echo never", 1000),
      check("bg", "(sleep 60; echo late) & echo left"),
      check("flood", "yes", 1000),
      check("next", "echo next-ran"),
    ]);
    expect(r[0]).toMatchObject({ id: "slow", timedOut: true, output: "started\n" });
    expect(r[1]).toMatchObject({ exitCode: 0, output: "left\n" });
    expect(r[2]).toMatchObject({ truncated: true });
    expect(r[3]).toMatchObject({ exitCode: 0, output: "next-ran\n", timedOut: false });
    expect(delta(before, m.checkPathStats())).toMatchObject({ runcExecs: 0, agentBatches: 1, agentsLost: 0 });
  });

  it("ps shows it by name; it is in the sandbox's cgroup with exactly an exec's confinement", async () => {
    const [ps] = await m.runChecks(sb.id, [check("ps", "ps -eo comm=,args=")]);
    expect(ps!.output).toMatch(new RegExp(`^verificador +${AGENT_NAME}$`, "m"));
    const [agent] = hostPidsNamed(sb.id, AGENT_NAME);
    expect(agent, "the agent's host process").toBeDefined();
    expect(await isSandboxProcess(agent!, cgroupsPathFor(cgroupParentFor(cfg.runnerDir), sb.id))).toBe(true);
    // A script started by exec, alive while the host compares the two.
    const sleeper = m.exec(sb.id, "exec -a exec-sleeper sleep 3", { timeoutMs: 10_000 });
    let peer: number | undefined;
    for (let i = 0; i < 100 && !peer; i++) {
      peer = hostPidsNamed(sb.id, "exec-sleeper")[0];
      if (!peer) await new Promise((r) => setTimeout(r, 50));
    }
    expect(peer, "the exec'd sleeper's host process").toBeDefined();
    const a = confinement(agent!);
    const e = confinement(peer!);
    expect(a).toEqual(e);
    expect(a.fields.at(-1)).toBe("2"); // seccomp filter on
    expect(a.fields.at(-2)).toBe("1"); // no_new_privs
    expect(Number(a.fields[0]!.split(/\s+/)[0])).toBeGreaterThanOrEqual(cfg.SANDBOX_UID_BASE);
    await sleeper;
    // Its pipes are runc's, none of the runner's (this test process is the runner here).
    const ends = (pid: number | "self") =>
      new Set(
        readdirSync(`/proc/${pid}/fd`)
          .map((f) => {
            try {
              return readlinkSync(`/proc/${pid}/fd/${f}`);
            } catch {
              return "";
            }
          })
          .filter((l) => /^(pipe|socket):/.test(l)),
      );
    const agentEnds = ends(agent!);
    expect(agentEnds.size).toBeGreaterThan(0);
    const runnerEnds = ends("self");
    for (const e of agentEnds) expect(runnerEnds.has(e), `the agent holds the runner's ${e}`).toBe(false);
    // Nothing of the agent stays after the sandbox.
    const gone = await m.create("agent-short", { shell: false });
    await m.runChecks(gone.id, [check("x", "true")]);
    expect(hostPidsNamed(gone.id, AGENT_NAME)).toHaveLength(1);
    await m.destroy(gone.id);
    expect(hostPidsNamed(gone.id, AGENT_NAME)).toEqual([]);
  });
});

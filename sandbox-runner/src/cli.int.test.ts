import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { TEST_DATA_DIR } from "../test/image-fixture";

const root = path.resolve(__dirname, "../..");
const sandbox = (...args: string[]) =>
  spawnSync(path.join(root, "node_modules/.bin/tsx"), ["sandbox-runner/src/cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATA_DIR: TEST_DATA_DIR },
    timeout: 600_000,
  });

/** The runners' parent cgroups in the pids controller (present on v1 and as a v2 directory alike). */
const parentCgroups = () => {
  for (const dir of ["/sys/fs/cgroup/pids", "/sys/fs/cgroup"]) {
    try {
      return readdirSync(dir)
        .filter((d) => d.startsWith("aprendendo-"))
        .sort();
    } catch {
      /* not this layout */
    }
  }
  return [];
};

it("exec runs the command in a throwaway sandbox, prints its output and exits with its code, leaving no cgroup", () => {
  const before = parentCgroups();
  const r = sandbox("exec", "hostname; test -e /proc/1/root/work && echo HOST-VISIBLE; echo done; exit 7");
  expect(r.stdout).toMatch(/^sandbox-[0-9a-f]+\ndone\n$/);
  expect(r.status).toBe(7);
  expect(parentCgroups()).toEqual(before);
});

it("exec stops a command at its timeout with exit code 124", () => {
  const r = sandbox("exec", "sleep 30", "--timeout", "1");
  expect(r.status).toBe(124);
  expect(r.stderr).toContain("timed out after 1 s");
});

it("a usage mistake gets the usage, not a sandbox", () => {
  const r = sandbox("exce", "ls");
  expect(r.status).toBe(2);
  expect(r.stderr).toContain("Unknown command 'exce'");
  expect(r.stderr).toContain("npm run sandbox -- exec");
});

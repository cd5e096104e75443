/**
 * DATA_DIR's permissions after the real bootstrap step (`scripts/check-config.ts`, which `npm start`
 * and `npm test` run first), the real database creation (`prisma migrate deploy`) and the real
 * runner (`main.ts`): an old DATA_DIR left 0755 with a 0644 database and secret is tightened (and
 * says so), a new database is born 0600, and with DATA_DIR at 0710 a sandbox still starts, its
 * terminal answers and a Check runs (runc mounts the rootfs from inside the sandbox's user namespace).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_DATA_DIR, testConfig, testImage } from "../../test/image-fixture";
import { RunnerClient } from "../../../contract/runner-client";
import { generateSigningKeys, signToken } from "../../../contract/token";
import { autoAck, rawClient } from "../server/testing";
import { freePort, sleep } from "../security/harness";

const root = process.cwd();
const tsx = path.join(root, "node_modules/.bin/tsx");
const SANDBOX_GID = testConfig().SANDBOX_UID_BASE;
const mode = (p: string) => fs.statSync(p).mode & 0o7777;
const running: ChildProcess[] = [];

afterAll(async () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
});

/** A DATA_DIR as an earlier version left it: 0755, a 0644 database and secret. */
function looseDataDir(name: string, secret: string): string {
  const d = `${TEST_DATA_DIR}-${name}`;
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  fs.chmodSync(d, 0o755);
  fs.writeFileSync(path.join(d, "app.db"), "");
  fs.writeFileSync(path.join(d, "secret"), secret + "\n");
  for (const f of ["app.db", "secret"]) fs.chmodSync(path.join(d, f), 0o644);
  return d;
}

describe("DATA_DIR permissions", () => {
  it("the bootstrap step tightens an old DATA_DIR, and the database is created 0600", () => {
    const d = looseDataDir("perms-boot", "boot-secret-0123456789");
    const env = { ...process.env, DATA_DIR: d, DATABASE_URL: "" };
    const r = spawnSync(tsx, ["scripts/check-config.ts"], { cwd: root, env, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { tightened?: string[] };
    expect(out.tightened).toEqual([
      expect.stringMatching(/from 0755 to 0710/),
      expect.stringMatching(/secret from 0644 to 0600/),
      expect.stringMatching(/app\.db from 0644 to 0600/),
    ]);
    expect(mode(d)).toBe(0o710);
    expect(fs.statSync(d).gid).toBe(SANDBOX_GID);
    expect(mode(path.join(d, "secret"))).toBe(0o600);
    expect(mode(path.join(d, "app.db"))).toBe(0o600);

    // A database made from nothing by the bootstrap's migration is private from its first byte.
    const fresh = path.join(d, "fresh.db");
    const stub = path.join(root, "package.json");
    const m = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: root,
      env: {
        ...env,
        DATABASE_URL: `file:${fresh}`,
        PRISMA_QUERY_ENGINE_LIBRARY: stub,
        PRISMA_SCHEMA_ENGINE_BINARY: stub,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
      encoding: "utf8",
    });
    expect(m.status, m.stdout + m.stderr).toBe(0);
    const made = fs.readdirSync(d).filter((f) => f.startsWith("fresh.db"));
    expect(made).toContain("fresh.db");
    for (const f of made) expect([f, mode(path.join(d, f))]).toEqual([f, 0o600]);
  });

  it("the runner tightens DATA_DIR at start, and sandboxes, terminals and Checks work under 0710", async () => {
    const secret = "perms-runner-secret-0123456789";
    const d = looseDataDir("perms-runner", secret);
    const keys = generateSigningKeys();
    await testImage(testConfig());
    fs.mkdirSync(path.join(d, "runner"), { recursive: true });
    fs.symlinkSync(path.join(testConfig().runnerDir, "image"), path.join(d, "runner", "image"));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "sandbox-runner/src/main.ts")], {
      env: {
        ...process.env,
        DATA_DIR: d,
        DATABASE_URL: "",
        APP_PUBLIC_KEY: keys.publicKey,
        RUNNER_HOST: "127.0.0.1",
        RUNNER_PORT: String(port),
        SANDBOX_MEMORY_MB: "64",
        SANDBOX_PIDS: "64",
        SANDBOX_DISK_MB: "16",
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    running.push(child);
    let log = "";
    child.stdout!.on("data", (b: Buffer) => (log += b.toString()));
    child.stderr!.on("data", (b: Buffer) => (log += b.toString()));
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`runner exited (${child.exitCode}): ${log}`);
      if (
        await fetch(`${base}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (i > 1800) throw new Error(`runner did not answer /healthz within 3 minutes: ${log}`);
      await sleep(100);
    }
    expect(log).toMatch(/tightened .*perms-runner from 0755 to 0710/);
    expect(mode(d)).toBe(0o710);
    expect(fs.statSync(d).gid).toBe(SANDBOX_GID);
    expect(mode(path.join(d, "secret"))).toBe(0o600);
    expect(mode(path.join(d, "app.db"))).toBe(0o600);

    const runner = new RunnerClient({ baseUrl: base, privateKey: keys.privateKey });
    const sb = await runner.createSandbox("perm-learner");
    const c = await rawClient(`ws://127.0.0.1:${port}/v1/terminals`, {
      token: await signToken(keys.privateKey, { sub: "perm-learner", sid: sb.id, role: "learner" }),
      cols: 80,
      rows: 24,
    });
    autoAck(c);
    await c.waitFor("snapshot", undefined, 60_000);
    c.send({ type: "input", data: new TextEncoder().encode("echo term-$((40+2))\r") });
    await c.waitOutput(/term-42/, 60_000);
    c.ws.close();
    await c.closed;
    const check = await runner.exec(sb.id, "test -d /oci && echo check-$((6*7))");
    expect(check.output.trim()).toBe("check-42");
    await runner.destroySandbox(sb.id);

    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
  });
});

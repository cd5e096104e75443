import { spawn } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");

/** Runs `npm start`'s script with extra environment; resolves with its exit code and output. */
function start(env: Record<string, string>, asUser?: number): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const [cmd, args] =
      asUser === undefined
        ? [process.execPath, ["scripts/start.mjs"]]
        : ["setpriv", [`--reuid=${asUser}`, `--regid=${asUser}`, "--clear-groups", process.execPath, "scripts/start.mjs"]];
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

describe("npm start refuses a bad setup before doing any long work", () => {
  it("stops on a bad configuration value and names it", async () => {
    const r = await start({ SANDBOX_MEMORY_MB: "lots", DATA_DIR: "/tmp/aprendendo-bad-config" });
    expect(r.code).toBe(2);
    expect(r.out).toContain('SANDBOX_MEMORY_MB="lots"');
    expect(r.out).not.toMatch(/\n\s+at .*\(/); // no stack trace
    expect(r.out).not.toContain("Sandbox image");
  });

  it("stops when the web port is taken, naming the port", async () => {
    const srv = net.createServer().listen(0, "0.0.0.0");
    await new Promise((r) => srv.once("listening", r));
    const port = (srv.address() as net.AddressInfo).port;
    try {
      const r = await start({ PORT: String(port), RUNNER_PORT: "3199", DATA_DIR: "/tmp/aprendendo-port-taken" });
      expect(r.code).toBe(1);
      expect(r.out).toContain(`Port ${port} (web app, PORT) is already in use`);
      expect(r.out).not.toContain("Sandbox image");
    } finally {
      srv.close();
    }
  });

  it("explains that the runner needs root when started as another user", async () => {
    const r = await start({}, 65534);
    expect(r.code).toBe(1);
    expect(r.out).toContain("The sandbox runner needs root");
  });
});

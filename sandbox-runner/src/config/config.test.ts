import { describe, expect, it } from "vitest";
import { ConfigError, describeRunnerConfig, loadRunnerConfig } from "./config";

describe("loadRunnerConfig", () => {
  it("gives defaults for an empty environment", () => {
    const c = loadRunnerConfig({});
    expect(c.RUNNER_PORT).toBe(3001);
    expect(c.SANDBOX_MEMORY_MB).toBe(256);
    expect(c.runnerUrl).toBe("http://127.0.0.1:3001");
  });

  it("parses given values", () => {
    const c = loadRunnerConfig({ SANDBOX_CPUS: "1.5", DEV_NO_SECCOMP: "yes", DATA_DIR: "/tmp/x" });
    expect(c.SANDBOX_CPUS).toBe(1.5);
    expect(c.DEV_NO_SECCOMP).toBe(true);
    expect(c.runnerDir).toBe("/tmp/x/runner");
  });

  it("names every bad variable with its value and the rule", () => {
    let err: unknown;
    try {
      loadRunnerConfig({ SANDBOX_MEMORY_MB: "lots", RUNNER_PORT: "70000", APP_PUBLIC_KEY: "not a key", RUNNER_NAME: "Bad Name" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const msg = (err as Error).message;
    expect(msg).toContain('SANDBOX_MEMORY_MB="lots"');
    expect(msg).toContain('RUNNER_PORT="70000"');
    expect(msg).toMatch(/APP_PUBLIC_KEY=.*PEM public key/);
    expect(msg).toMatch(/RUNNER_NAME=.*DNS-style name/);
  });

  it("sizes the engine's storage below the memory limit: half of it by default, an explicit value at or above it refused", () => {
    expect(loadRunnerConfig({}).SANDBOX_ENGINE_MB).toBe(128);
    expect(loadRunnerConfig({ SANDBOX_MEMORY_MB: "64" }).SANDBOX_ENGINE_MB).toBe(32);
    expect(loadRunnerConfig({ SANDBOX_ENGINE_MB: "200" }).SANDBOX_ENGINE_MB).toBe(200);
    expect(() => loadRunnerConfig({ SANDBOX_ENGINE_MB: "256" })).toThrow(
      /SANDBOX_ENGINE_MB="256": must be below SANDBOX_MEMORY_MB \(256\)/,
    );
    expect(() => loadRunnerConfig({ SANDBOX_ENGINE_MB: "4" })).toThrow(/SANDBOX_ENGINE_MB="4"/);
  });

  it("documents every option", () => {
    for (const o of describeRunnerConfig()) expect(o.description, o.name).not.toBe("");
  });
});

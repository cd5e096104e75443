import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, hostName, pageCsp, runnerSocketSources } from "./headers";

const directive = (csp: string, name: string) =>
  csp
    .split("; ")
    .find((d) => d.startsWith(name + " "))
    ?.split(" ")
    .slice(1) ?? [];

describe("content security policy", () => {
  it("lets the page reach the runner's socket on the page's host and RUNNER_PORT, and nothing else", () => {
    const csp = contentSecurityPolicy({ host: "course.example:3000", runnerPort: 3001 });
    expect(directive(csp, "connect-src")).toEqual(["'self'", "ws://course.example:3001", "wss://course.example:3001"]);
    expect(directive(csp, "frame-ancestors")).toEqual(["'none'"]);
    expect(directive(csp, "object-src")).toEqual(["'none'"]);
    expect(directive(csp, "script-src")).not.toContain("'unsafe-eval'");
  });

  it("uses RUNNER_PUBLIC_URL's origin when set", () => {
    expect(runnerSocketSources({ host: "x", runnerPort: 1, runnerPublicUrl: "wss://runner.example/v1/terminals" })).toEqual([
      "wss://runner.example",
    ]);
  });

  it("with RUNNERS, lets the page reach each runner's browser origin and no other", () => {
    const csp = pageCsp("course.example", {
      NODE_ENV: "production",
      RUNNERS: "a=http://10.0.0.2:3001,b=http://10.0.0.3:3001|wss://c.example/r/b",
    });
    expect(directive(csp, "connect-src")).toEqual(["'self'", "ws://10.0.0.2:3001", "wss://c.example"]);
  });

  it("allows eval only in development", () => {
    expect(directive(pageCsp("localhost", { NODE_ENV: "development" }), "script-src")).toContain("'unsafe-eval'");
    expect(directive(pageCsp("localhost", { NODE_ENV: "production", RUNNER_PORT: "3101" }), "connect-src")).toContain(
      "ws://localhost:3101",
    );
  });

  it("never copies a hostile Host header into the policy", () => {
    expect(hostName("evil.example; script-src *")).toBe("localhost");
    expect(hostName("a b")).toBe("localhost");
    expect(hostName(null)).toBe("localhost");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("127.0.0.1:3100")).toBe("127.0.0.1");
    expect(contentSecurityPolicy({ host: "x;default-src *", runnerPort: 3001 })).not.toContain("default-src *");
  });
});

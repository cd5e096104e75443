import { describe, expect, it } from "vitest";
import { expandTemplate, FleetConfigError, parseDraining, parseRunners, publicOrigins } from "./config";

const single = { name: "local", url: "http://127.0.0.1:3001" };

describe("parseRunners", () => {
  it("unset: the single local runner of npm start, unchanged", () => {
    expect(parseRunners({}, single)).toEqual({ kind: "single", runner: single });
    expect(parseRunners({ RUNNERS: "  " }, single)).toEqual({ kind: "single", runner: single });
  });

  it("a list of name=URL, with the browsers' URL after | or derived from the app's", () => {
    expect(parseRunners({ RUNNERS: "a=http://10.0.0.2:3001/|wss://c.example/r/a, b=http://10.0.0.3:3001" }, single)).toEqual({
      kind: "static",
      runners: [
        { name: "a", url: "http://10.0.0.2:3001", publicUrl: "wss://c.example/r/a" },
        { name: "b", url: "http://10.0.0.3:3001", publicUrl: "ws://10.0.0.3:3001" },
      ],
    });
  });

  it("dns:NAME:PORT with a template for the browsers' URL", () => {
    const s = parseRunners(
      { RUNNERS: "dns:sandbox-runner.ns.svc.cluster.local:3001", RUNNER_PUBLIC_URL_TEMPLATE: "wss://c.example/runner/{ipDashed}" },
      single,
    );
    expect(s).toEqual({
      kind: "dns",
      host: "sandbox-runner.ns.svc.cluster.local",
      port: 3001,
      publicUrlTemplate: "wss://c.example/runner/{ipDashed}",
    });
    expect(expandTemplate("wss://c.example/runner/{ipDashed}", { ip: "10.42.1.7", name: "n1" })).toBe("wss://c.example/runner/10-42-1-7");
  });

  it("says what is wrong and how to write it", () => {
    const bad =
      (RUNNERS: string, extra = {}) =>
      () =>
        parseRunners({ RUNNERS, ...extra }, single);
    expect(bad("http://10.0.0.2:3001")).toThrow(/start it with a name .* like a=http:\/\/10\.0\.0\.2:3001/);
    expect(bad("a=10.0.0.2:3001")).toThrow(FleetConfigError);
    expect(bad("a=ftp://x")).toThrow(/must start with http:\/\/ or https:\/\//);
    expect(bad("a=http://x|http://y")).toThrow(/browsers' URL .* must start with ws:\/\/ or wss:\/\//);
    expect(bad("a=http://x,a=http://y")).toThrow(/names the runner a twice/);
    expect(bad("dns:runners")).toThrow(/dns:NAME:PORT/);
    expect(bad("dns:runners:3001")).toThrow(/needs RUNNER_PUBLIC_URL_TEMPLATE/);
    expect(bad("dns:runners:3001", { RUNNER_PUBLIC_URL_TEMPLATE: "wss://c.example/runner" })).toThrow(/RUNNER_PUBLIC_URL_TEMPLATE/);
  });
});

describe("parseDraining and publicOrigins", () => {
  it("reads names or addresses, refuses anything else", () => {
    expect([...parseDraining(" b, 10.42.1.7 ")]).toEqual(["b", "10.42.1.7"]);
    expect(parseDraining(undefined).size).toBe(0);
    expect(() => parseDraining("b;c")).toThrow(/not a runner name or address/);
  });

  it("lists each browser origin once, for the page's CSP", () => {
    const s = parseRunners(
      { RUNNERS: "a=http://10.0.0.2:3001,b=http://10.0.0.3:3001|wss://c.example/r/b,c=http://x|wss://c.example/r/c" },
      single,
    );
    expect(publicOrigins(s)).toEqual(["ws://10.0.0.2:3001", "wss://c.example"]);
    expect(publicOrigins({ kind: "single", runner: single })).toEqual([]);
  });
});

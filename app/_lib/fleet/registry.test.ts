import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RunnerRegistry } from "./registry";

/**
 * The registry against real HTTP servers on loopback addresses standing for runners' /healthz
 * (127.0.0.2 and 127.0.0.3: one port, two "hosts", as a headless Service's DNS gives them).
 */
const health: Record<string, { sandboxes: number; capacity: number }> = {
  "127.0.0.2": { sandboxes: 0, capacity: 3 },
  "127.0.0.3": { sandboxes: 0, capacity: 3 },
};
const servers: http.Server[] = [];
let port = 0;

beforeAll(async () => {
  for (const ip of Object.keys(health)) {
    const s = http.createServer((req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ok: true, terminals: 0, ...health[ip] }));
    });
    await new Promise<void>((r) => s.listen(port, ip, () => r()));
    port = (s.address() as AddressInfo).port;
    servers.push(s);
  }
});
afterAll(() => servers.forEach((s) => s.close()));

const dns = (ips: string[]) =>
  new RunnerRegistry(
    { kind: "dns", host: "sandbox-runner.test", port, publicUrlTemplate: "wss://c.example/runner/{ipDashed}" },
    { resolve: async () => ips, staleMs: 60_000 },
  );

describe("RunnerRegistry", () => {
  it("finds runners through DNS, reads capacity and load, and names their browser URL", async () => {
    const r = dns(["127.0.0.2", "127.0.0.3"]);
    await r.refresh();
    expect(r.list().map((v) => [v.name, v.url, v.publicUrl, v.healthy, v.capacity])).toEqual([
      ["127.0.0.2", `http://127.0.0.2:${port}`, "wss://c.example/runner/127-0-0-2", true, 3],
      ["127.0.0.3", `http://127.0.0.3:${port}`, "wss://c.example/runner/127-0-0-3", true, 3],
    ]);
  });

  it("spreads a burst of placements between two polls, and says when all are full", async () => {
    const r = dns(["127.0.0.2", "127.0.0.3"]);
    await r.refresh();
    const names = [];
    for (let i = 0; i < 6; i++) names.push((await r.place()).name);
    expect(names.sort()).toEqual(["127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.3"]);
    await expect(r.place()).rejects.toMatchObject({ reason: "all-full" });
  });

  it("drains by address, and marks a runner gone from DNS or not answering as down", async () => {
    const r = dns(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    await r.refresh();
    expect(r.list().find((v) => v.name === "127.0.0.4")).toMatchObject({ healthy: false });
    r.setDraining("127.0.0.2", true);
    expect((await r.place()).name).toBe("127.0.0.3");
    // 127.0.0.3 leaves DNS (its pod is not ready): down, but still known, so its learners can be moved.
    (r as unknown as { opts: { resolve: () => Promise<string[]> } }).opts.resolve = async () => ["127.0.0.2"];
    await r.refresh();
    expect(r.list().find((v) => v.name === "127.0.0.3")).toMatchObject({ healthy: false, error: "gone from DNS" });
    expect(r.endpoint("127.0.0.3")).toBeDefined();
    await expect(r.place()).rejects.toMatchObject({ reason: "all-draining" });
  });
});

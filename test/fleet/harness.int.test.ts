/**
 * The three-host harness itself: each runner lives in a network namespace of its own and answers
 * on its own address; a host killed with SIGKILL leaves sandboxes that stop() still removes; after
 * stop() no namespace, interface or sandbox of the run is left on the machine.
 */
import fs from "node:fs";
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSigningKeys, signToken } from "../../contract/token";
import { leftovers, NOTHING_LEFT } from "../../sandbox-runner/test/leftovers";
import { startFleet, type Fleet } from "./harness";

// The app's key pair: every runner gets the public half; an app token names the runner it is for.
const KEYS = generateSigningKeys();
let fleet: Fleet | undefined;
/** Runner URL → an app token made for that runner. */
const appTokens = new Map<string, string>();
const appTokenFor = (runner: string) => signToken(KEYS.privateKey, { sub: "app", sid: "*", role: "app" }, { ttlSeconds: 900, runner });

const api = async (base: string, method: string, p: string, body?: unknown) =>
  fetch(`${base}${p}`, {
    method,
    headers: { authorization: `Bearer ${appTokens.get(base)}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });

beforeAll(async () => {
  fleet = await startFleet({ publicKey: KEYS.publicKey });
  for (const h of fleet.hosts) appTokens.set(h.url, await appTokenFor(h.name));
});
afterAll(async () => {
  await fleet?.stop();
});

describe("three simulated hosts", () => {
  it("each runner runs in its own network namespace and answers on its own address", async () => {
    const f = fleet!;
    const inodes = new Set(f.hosts.map((h) => fs.statSync(`/proc/${h.child!.pid}/ns/net`).ino));
    inodes.add(fs.statSync("/proc/self/ns/net").ino);
    expect(inodes.size).toBe(4);
    for (const h of f.hosts) {
      const r = await fetch(`${h.url}/healthz`);
      expect(r.status).toBe(200);
    }
    // Not on the machine's loopback: 127.0.0.1:3001 of the root namespace is not any of them.
    const owners = f.hosts.map((h) => h.address);
    expect(new Set(owners).size).toBe(3);
  });

  it("runs a sandbox on each host, each with its own uid range", async () => {
    for (const h of fleet!.hosts) {
      const r = await api(h.url, "POST", "/v1/sandboxes", { owner: `learner-${h.name}` });
      expect(r.status, `${h.name}: ${await r.clone().text()} ${h.stderr}`).toBe(201);
      const { id } = (await r.json()) as { id: string };
      const ex = await api(h.url, "POST", `/v1/sandboxes/${id}/exec`, { script: "id -u; cat /proc/self/uid_map" });
      const out = ((await ex.json()) as { output: string }).output;
      expect(out).toContain(String(h.uidBase)); // root inside maps to this host's range
    }
  });

  it("a token made for runner A is refused by runner B (same app key): tokens name their runner", async () => {
    const [a, b] = fleet!.hosts;
    const forA = await appTokenFor(a!.name);
    const list = (h: typeof a) => fetch(`${h!.url}/v1/sandboxes`, { headers: { authorization: `Bearer ${forA}` } });
    expect((await list(a)).status).toBe(200);
    const refused = await list(b);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(new RegExp(`${a!.name}|audience|runner`, "i"));
  });

  it("cleans a SIGKILLed host's sandboxes and every namespace and interface on stop()", async () => {
    const f = fleet!;
    const b = f.host("b");
    await b.kill();
    expect((await leftovers(b.cfg)).containers.length).toBeGreaterThan(0);
    await f.stop();
    fleet = undefined;
    for (const h of f.hosts) expect(await leftovers(h.cfg)).toEqual(NOTHING_LEFT);
    const ns = spawnSync("ip", ["netns", "list"], { encoding: "utf8" }).stdout;
    const links = spawnSync("ip", ["-o", "link", "show"], { encoding: "utf8" }).stdout;
    for (const h of f.plan.hosts) expect(ns).not.toContain(h.netns);
    expect(links).not.toContain(f.plan.bridge);
  });
});

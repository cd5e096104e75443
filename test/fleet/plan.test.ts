import { describe, expect, it } from "vitest";
import { freeSubnet, ownerPid, planFleet, UID_STRIDE } from "./plan";

describe("planFleet", () => {
  it("gives each host its own namespace, address and non-overlapping uid range", () => {
    const p = planFleet({ pid: 4242, subnet: 7, hosts: 3 });
    expect(p.bridge).toBe("adfl4242");
    expect(p.gateway).toBe("10.213.7.1");
    expect(p.hosts.map((h) => [h.name, h.netns, h.veth, h.address])).toEqual([
      ["a", "adfl-4242-a", "adfl4242a", "10.213.7.2"],
      ["b", "adfl-4242-b", "adfl4242b", "10.213.7.3"],
      ["c", "adfl-4242-c", "adfl4242c", "10.213.7.4"],
    ]);
    const bases = p.hosts.map((h) => h.uidBase);
    for (let i = 1; i < bases.length; i++) expect(bases[i]! - bases[i - 1]!).toBe(UID_STRIDE);
    expect(bases[0]).toBeGreaterThan(100000 + 65536 + 100); // clear of the default test range
  });

  it("refuses what would not fit: long pids, uid ranges wider than a host's stride", () => {
    expect(() => planFleet({ pid: 12_345_678, subnet: 1, hosts: 3 })).toThrow(/not a process id/);
    expect(() => planFleet({ pid: 1, subnet: 300, hosts: 3 })).toThrow(/subnet 300/);
    expect(() => planFleet({ pid: 1, subnet: 1, hosts: 3, uidCount: 99_000, capacity: 1000 })).toThrow(/does not fit/);
  });

  it("names carry the owning pid, so a dead run's leftovers can be found", () => {
    const p = planFleet({ pid: 31337, subnet: 1, hosts: 2 });
    for (const n of [p.bridge, ...p.hosts.flatMap((h) => [h.netns, h.veth])]) expect(ownerPid(n)).toBe(31337);
    expect(ownerPid("eth0")).toBeUndefined();
    expect(ownerPid("docker0")).toBeUndefined();
  });
});

describe("freeSubnet", () => {
  it("skips the /24s already on an interface", () => {
    expect(freeSubnet(["192.0.2.2/24", "10.213.5.1/24", "10.213.6.1/24"], 5)).toBe(7);
    expect(freeSubnet([], 5)).toBe(5);
  });
});

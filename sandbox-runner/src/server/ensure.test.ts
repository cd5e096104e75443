import { EventEmitter } from "node:events";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RunnerFault } from "../../../contract/faults";
import type { EnsureAnswer } from "../../../contract/types";
import { QUEUE_POLL_MS, SandboxEnsurer } from "./ensure";
import type { SandboxInfo, SandboxPort } from "./port";

/** A runner with room for `capacity` sandboxes and no containers: the line's logic alone. */
class FakeSandboxes extends EventEmitter implements SandboxPort {
  readonly sandboxes = new Map<string, SandboxInfo>();
  readonly destroyed: { id: string; owner: string; keepFiles: boolean }[] = [];
  reserved = 0;
  private n = 0;
  constructor(private readonly capacity: number) {
    super();
  }
  async create(owner: string): Promise<SandboxInfo> {
    if (this.sandboxes.size >= this.capacity) throw new RunnerFault("busy", "full");
    const id = `sb${++this.n}`;
    const info: SandboxInfo = { id, owner, state: "running", createdAt: 0, lastActivityAt: 0, hostname: id };
    this.sandboxes.set(id, info);
    return info;
  }
  get = (id: string) => this.sandboxes.get(id);
  list = () => [...this.sandboxes.values()];
  async destroy(id: string, opts: { keepFiles?: boolean } = {}): Promise<void> {
    const s = this.sandboxes.get(id);
    if (!s) return;
    this.sandboxes.delete(id);
    this.destroyed.push({ id, owner: s.owner, keepFiles: !!opts.keepFiles });
    this.emit("destroyed", { id });
  }
  async exec() {
    return { exitCode: 0, output: "", durationMs: 0, timedOut: false, truncated: false };
  }
  spawnTerminal(): never {
    throw new Error("no terminals here");
  }
  touch(): void {}
  room = () => this.capacity - this.sandboxes.size;
  reserve(n: number): void {
    this.reserved = n;
  }
}

const answer = async () => ({ terminals: [], limits: {} as never });
const place = (a: EnsureAnswer) => ("queued" in a ? a.queued.position : 0);
const ownerOf = (a: EnsureAnswer) => ("queued" in a ? undefined : a.sandbox.owner);

afterEach(() => void vi.useRealTimers());

describe("SandboxEnsurer's line", () => {
  it("full: places in order, kept when asking again; a freed sandbox goes to the first in line at once", async () => {
    const port = new FakeSandboxes(2);
    const e = new SandboxEnsurer(port, answer, { leaveMs: 10_000 });
    expect((await Promise.all(["a", "b"].map((owner) => e.ensure({ owner })))).map(ownerOf)).toEqual(["a", "b"]);
    expect(place(await e.ensure({ owner: "c" }))).toBe(1);
    expect(place(await e.ensure({ owner: "d" }))).toBe(2);
    expect(place(await e.ensure({ owner: "c" }))).toBe(1);
    expect(port.reserved).toBe(2);

    await port.destroy([...port.sandboxes.values()][0]!.id);
    // Started for c before c asks again; d moves up; a newcomer goes behind d.
    expect(port.list().map((s) => s.owner)).toEqual(["b", "c"]);
    expect(place(await e.ensure({ owner: "e" }))).toBe(2);
    expect(place(await e.ensure({ owner: "d" }))).toBe(1);
    const c = await e.ensure({ owner: "c" });
    expect(c).toMatchObject({ created: true, sandbox: { owner: "c" } });
    expect(e.lineView()).toEqual({ waiting: 2, owners: ["d", "e"] });
    // c has it now: asking again keeps it, no line.
    expect(await e.ensure({ owner: "c" })).toMatchObject({ created: false, sandbox: { owner: "c" } });
    e.close();
  });

  it("an owner who stops asking drops out; a sandbox started for a leaver ends with their files kept", async () => {
    vi.useFakeTimers();
    const port = new FakeSandboxes(1);
    const e = new SandboxEnsurer(port, answer, { leaveMs: 5_000 });
    const first = await e.ensure({ owner: "a" });
    for (const o of ["b", "c", "d"]) await e.ensure({ owner: o });
    // b and c stop asking; d keeps asking.
    for (let t = 0; t < 6_000; t += QUEUE_POLL_MS) {
      await vi.advanceTimersByTimeAsync(QUEUE_POLL_MS);
      await e.ensure({ owner: "d" });
    }
    expect(e.lineView().owners).toEqual(["d"]);
    expect(place(await e.ensure({ owner: "b" }))).toBe(2);
    // d is admitted when a's sandbox ends, then leaves without coming for it.
    if ("queued" in first) throw new Error("a should have been served");
    await port.destroy(first.sandbox.id);
    expect(port.list().map((s) => s.owner)).toEqual(["d"]);
    for (let t = 0; t < 6_000; t += QUEUE_POLL_MS) {
      await vi.advanceTimersByTimeAsync(QUEUE_POLL_MS);
      await e.ensure({ owner: "b" });
    }
    expect(port.destroyed.at(-1)).toMatchObject({ owner: "d", keepFiles: true });
    // The room went to b, next in line.
    expect(port.list().map((s) => s.owner)).toEqual(["b"]);
    expect(await e.ensure({ owner: "b" })).toMatchObject({ sandbox: { owner: "b" } });
    e.close();
  });

  it("room taken by someone else after all: back to the front, not an error", async () => {
    const port = new FakeSandboxes(1);
    const e = new SandboxEnsurer(port, answer);
    await e.ensure({ owner: "a" });
    expect(place(await e.ensure({ owner: "b" }))).toBe(1);
    // A port that says there is room while create() says busy (a start elsewhere took it).
    port.room = () => 1;
    const busy = await e.ensure({ owner: "b" });
    expect(place(busy)).toBe(1);
    e.close();
  });
});

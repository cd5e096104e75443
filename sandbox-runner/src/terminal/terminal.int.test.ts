/**
 * Terminal on a real PTY (host bash via node-pty) with in-process client sinks: slow consumers are
 * dropped with 4409 and the others go on; observers never hold the PTY back.
 */
import { describe, expect, it } from "vitest";
import * as pty from "node-pty";
import { Terminal, type ClientSink } from "./terminal";
import { CloseCode, ServerType } from "../../../contract/protocol";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls (the machine may be loaded: no fixed throughput assumptions). */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await sleep(10);
}

function sink(id: string, role: "learner" | "observer", ackTo?: Terminal) {
  const s = {
    id,
    role,
    bytes: 0,
    closed: null as null | number,
    send(frame: Uint8Array) {
      if (frame[0] === ServerType.OUTPUT) {
        s.bytes += frame.length - 1;
        ackTo?.ack(id, frame.length - 1);
      }
    },
    close(code: number) {
      s.closed = code;
    },
  };
  return s satisfies ClientSink;
}

function bash() {
  return pty.spawn("bash", ["--norc", "--noprofile", "-i"], {
    cols: 80,
    rows: 24,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PS1: "$ " },
  });
}

describe("Terminal flow control on a real PTY", () => {
  it("drops a learner that stops acknowledging (4409) and then flows again for the others", async () => {
    const t = new Terminal({
      id: "t-a",
      sandboxId: "s",
      pty: bash(),
      cols: 80,
      rows: 24,
      slowConsumerMs: 400,
      flow: { highWater: 64 * 1024, lowWater: 8 * 1024 },
    });
    const stuck = sink("stuck", "learner");
    const good = sink("good", "learner", t);
    t.attach(stuck);
    t.attach(good);
    await sleep(200);
    t.input("good", new TextEncoder().encode("yes\r"));
    await until(() => t.paused);
    expect(t.paused).toBe(true);
    expect(stuck.bytes).toBeLessThan(64 * 1024 + 64 * 1024);
    const before = good.bytes;
    await until(() => stuck.closed !== null);
    expect(stuck.closed).toBe(CloseCode.SLOW_CONSUMER);
    expect(good.closed).toBe(null);
    await until(() => good.bytes - before > 1024 * 1024);
    expect(good.bytes - before).toBeGreaterThan(1024 * 1024); // flowing again once the stuck one was dropped
    t.kill("SIGKILL");
    await new Promise<void>((r) => t.onExit(() => r()));
  });

  it("observers that never acknowledge do not pause the PTY, and are cut off at the hard limit", async () => {
    const t = new Terminal({ id: "t-b", sandboxId: "s", pty: bash(), cols: 80, rows: 24, hardLimitBytes: 512 * 1024 });
    const obs = sink("obs", "observer");
    t.attach(obs);
    await sleep(100);
    const learner = sink("l", "learner", t);
    t.attach(learner);
    await sleep(100);
    t.input("l", new TextEncoder().encode("yes\r"));
    await until(() => obs.closed !== null && learner.bytes > 1024 * 1024);
    expect(obs.closed).toBe(CloseCode.SLOW_CONSUMER);
    expect(learner.closed).toBe(null);
    expect(learner.bytes).toBeGreaterThan(1024 * 1024);
    expect(t.input("obs", new Uint8Array([0x61]))).toBe(false);
    t.kill("SIGKILL");
    await new Promise<void>((r) => t.onExit(() => r()));
  });
});

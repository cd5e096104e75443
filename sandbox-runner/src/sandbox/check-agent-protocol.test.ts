import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  AGENT_LOOP,
  AGENT_NAME,
  AgentBackoff,
  AgentChannel,
  agentCanRun,
  agentCommand,
  encodeRequest,
  type ChannelEvent,
} from "./check-agent-protocol";

const ACK = "a".repeat(32);
const DONE = "d".repeat(32);
const b = (s: string) => Buffer.from(s, "utf8");
const ackT = (n = ACK) => `\n${n} 0\n`;
const doneT = (status: number, n = DONE) => `\n${n} ${status}\n`;

/** Pushes the chunks, returns the events with their outputs as text. */
function feed(ch: AgentChannel, chunks: string[]) {
  const evs: ChannelEvent[] = [];
  for (const c of chunks) evs.push(...ch.push(b(c)));
  return evs.map((e) => (e.kind === "done" ? { kind: e.kind, status: e.status, output: e.output.toString("utf8") } : e));
}

describe("encodeRequest", () => {
  it("frames the script by its length in bytes (not characters) after a header with both nonces", () => {
    const r = encodeRequest("echo ção", ACK, DONE).toString("utf8");
    expect(r).toBe(`${ACK} ${DONE} 10\necho ção`);
  });

  it("refuses what the agent cannot carry: no script, a NUL byte, a bad nonce", () => {
    expect(agentCanRun("")).toBe(false);
    expect(agentCanRun("echo a\0b")).toBe(false);
    expect(agentCanRun("echo ok")).toBe(true);
    expect(() => encodeRequest("a\0", ACK, DONE)).toThrow(/NUL/);
    expect(() => encodeRequest("true", "nope", DONE)).toThrow(/hex/);
  });

  it("starts a bash renamed for ps, reading its loop from stdin (no program on its command line)", () => {
    expect(agentCommand()).toEqual(["/bin/bash", "-c", `exec -a ${AGENT_NAME} /bin/bash`]);
  });
});

describe("AgentChannel", () => {
  it("gives the reply between the ack and the done trailer, junk before the ack left out", () => {
    const ch = new AgentChannel();
    ch.begin(ACK, DONE, 1000);
    expect(feed(ch, [`noise${ackT()}one\ntwo${doneT(3)}`])).toEqual([{ kind: "acked" }, { kind: "done", status: 3, output: "one\ntwo" }]);
    expect(ch.state).toBe("idle");
  });

  it("the same, one byte at a time (trailers split anywhere)", () => {
    const ch = new AgentChannel();
    ch.begin(ACK, DONE, 1000);
    const all = `x${ackT()}out\n${ACK} 0 not mine\n${doneT(0)}`;
    expect(feed(ch, [...all])).toEqual([{ kind: "acked" }, { kind: "done", status: 0, output: `out\n${ACK} 0 not mine\n` }]);
  });

  it("trailers of other nonces are output; requests follow one another", () => {
    const ch = new AgentChannel();
    ch.begin(ACK, DONE, 1000);
    const other = "e".repeat(32);
    expect(feed(ch, [`${ackT()}a${doneT(9, other)}b${doneT(1)}`])).toEqual([
      { kind: "acked" },
      { kind: "done", status: 1, output: `a${doneT(9, other)}b` },
    ]);
    const ack2 = "1".repeat(32);
    const done2 = "2".repeat(32);
    ch.begin(ack2, done2, 1000);
    // The first request's ack again (a replay) is junk now.
    expect(feed(ch, [`${ackT()}${ackT(ack2)}second${doneT(0, done2)}`])).toEqual([
      { kind: "acked" },
      { kind: "done", status: 0, output: "second" },
    ]);
  });

  it("what follows a done trailer in the same chunk is junk, not the next reply", () => {
    const ch = new AgentChannel({ junkMax: 5 });
    ch.begin(ACK, DONE, 1000);
    expect(feed(ch, [`${ackT()}ok${doneT(0)}123456`])).toEqual([
      { kind: "acked" },
      { kind: "done", status: 0, output: "ok" },
      { kind: "broken", reason: "more than 5 bytes came outside any reply" },
    ]);
    expect(ch.state).toBe("broken");
  });

  it("junk between requests is capped over the agent's life: a trickle breaks it too", () => {
    const ch = new AgentChannel({ junkMax: 10 });
    expect(feed(ch, ["12345"])).toEqual([]);
    expect(feed(ch, ["12345"])).toEqual([]);
    expect(feed(ch, ["1"])).toEqual([{ kind: "broken", reason: "more than 10 bytes came outside any reply" }]);
    expect(feed(ch, ["more"])).toEqual([]);
    expect(() => ch.begin(ACK, DONE, 10)).toThrow(/broken/);
  });

  it("a reply over its cap breaks the channel (a flood into the agent's stdout)", () => {
    const ch = new AgentChannel();
    ch.begin(ACK, DONE, 8);
    expect(feed(ch, [ackT(), "12345", "6789"])).toEqual([
      { kind: "acked" },
      { kind: "broken", reason: "its reply passed the cap of 8 bytes" },
    ]);
  });

  it("one request at a time; a broken channel stays broken", () => {
    const ch = new AgentChannel();
    ch.begin(ACK, DONE, 8);
    expect(() => ch.begin(ACK, DONE, 8)).toThrow(/waiting-ack/);
    ch.breakOff();
    expect(ch.state).toBe("broken");
    expect(feed(ch, [`${ackT()}x${doneT(0)}`])).toEqual([]);
  });
});

describe("AgentBackoff", () => {
  it("waits longer after each loss, up to its cap, and forgets losses far apart", () => {
    const o = new AgentBackoff({ baseMs: 1000, maxMs: 5000, forgetMs: 60_000 });
    expect(o.mayStart(0)).toBe(true);
    o.lost(0);
    expect(o.mayStart(999)).toBe(false);
    expect(o.mayStart(1000)).toBe(true);
    o.lost(1000);
    expect(o.waitMs(1000)).toBe(2000);
    o.lost(3000);
    expect(o.waitMs(3000)).toBe(4000);
    o.lost(7000);
    expect(o.waitMs(7000)).toBe(5000);
    // A long-lived agent lost much later: the count starts again.
    o.lost(100_000);
    expect(o.waitMs(100_000)).toBe(1000);
  });
});

describe("AGENT_LOOP, run by this host's bash", () => {
  /** Runs the loop on `input` (the runner's side of the pipe) and returns the agent's stdout. */
  const agent = (input: Buffer) =>
    spawnSync("bash", ["-c", `exec -a ${AGENT_NAME} bash`], { input: Buffer.concat([b(AGENT_LOOP), input]) });

  it("answers requests in turn with exact outputs and statuses; nothing one script sets reaches the next", () => {
    const scripts = [
      'X=1; echo "out $X"; echo err >&2; exit 4',
      'echo "X=${X:-unset} $(cat /proc/$$/comm)"; cd /; exit 0',
      "printf 'é\\n\\n\\n'",
    ];
    const nonces = scripts.map((_, i) => [`${i}a`.padEnd(16, "a"), `${i}d`.padEnd(16, "d")] as const);
    const r = agent(Buffer.concat(scripts.map((s, i) => encodeRequest(s, nonces[i]![0], nonces[i]![1]))));
    const ch = new AgentChannel();
    const got: unknown[] = [];
    let i = 0;
    ch.begin(nonces[0]![0], nonces[0]![1], 1000);
    for (const byte of r.stdout) {
      for (const e of ch.push(Buffer.from([byte]))) {
        if (e.kind !== "done") continue;
        got.push([e.status, e.output.toString("utf8")]);
        if (++i < scripts.length) ch.begin(nonces[i]![0], nonces[i]![1], 1000);
      }
    }
    expect(got).toEqual([
      [4, "out 1\nerr\n"],
      // Its parent is the agent, under its own name; the variable stayed in the first script's subshell.
      [0, "X=unset verificador\n"],
      [0, "é\n\n\n"],
    ]);
    expect(r.status).toBe(0);
  });

  it("ends on a bad header (the runner sees it close and falls back)", () => {
    const r = agent(b("garbage header\nrest"));
    expect(r.status).toBe(2);
    expect(r.stdout.length).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { execCommand, TrailerScanner } from "./exec-status";

const NONCE = "0123456789abcdef0123456789abcdef";
const trailer = (status: number, nonce = NONCE) => `\n${nonce} ${status}\n`;
const b = (s: string) => Buffer.from(s, "latin1");

/** Feeds the chunks, returns everything passed on (flush included) and the status. */
function run(chunks: string[], nonce = NONCE) {
  const s = new TrailerScanner(nonce);
  let out = "";
  let status: number | undefined;
  for (const c of chunks) {
    const r = s.push(b(c));
    out += r.output.toString("latin1");
    status ??= r.status;
  }
  out += s.flush().toString("latin1");
  return { out, status };
}

describe("execCommand", () => {
  it("runs the script under the wrapper with the nonce as an argument, never in the shell text", () => {
    const cmd = execCommand("echo hi; exit 3", NONCE);
    expect(cmd.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    expect(cmd.slice(3)).toEqual(["sh", "echo hi; exit 3", NONCE]);
    expect(cmd[2]).not.toContain(NONCE);
  });

  it("refuses a nonce that is not hex (it is matched byte for byte in the output)", () => {
    expect(() => execCommand("true", "short")).toThrow(/16 to 64 lowercase hex/);
    expect(() => new TrailerScanner("0123456789abcdef\n")).toThrow(/lowercase hex/);
  });
});

describe("TrailerScanner", () => {
  it("removes the trailer and reports the status", () => {
    expect(run([`one\ntwo\n${trailer(7)}`])).toEqual({ out: "one\ntwo\n", status: 7 });
    expect(run([`no newline${trailer(0)}`])).toEqual({ out: "no newline", status: 0 });
    expect(run([trailer(137)])).toEqual({ out: "", status: 137 });
  });

  it("finds the trailer split at every possible place", () => {
    const whole = `out\n${trailer(130)}`;
    for (let cut = 1; cut < whole.length; cut++)
      for (let cut2 = cut; cut2 < whole.length; cut2++) {
        expect(run([whole.slice(0, cut), whole.slice(cut, cut2), whole.slice(cut2)])).toEqual({ out: "out\n", status: 130 });
      }
  });

  it("keeps what a background process wrote after the trailer, in order", () => {
    expect(run([`a\n${trailer(0)}late\n`, "later\n"])).toEqual({ out: "a\nlate\nlater\n", status: 0 });
  });

  it("passes on a fake trailer with another nonce, a malformed one, and a bare prefix", () => {
    const other = "fedcba9876543210fedcba9876543210";
    const fakes = [trailer(0, other), `\n${NONCE} x\n`, `\n${NONCE} 1234\n`, `\n${NONCE} \n`, `\n${NONCE.slice(0, 10)}`];
    for (const f of fakes) expect(run([`x${f}`, "y"]), JSON.stringify(f)).toEqual({ out: `x${f}y`, status: undefined });
    // The real one after a fake still counts.
    expect(run([`${trailer(0, other)}${trailer(3)}`])).toEqual({ out: trailer(0, other), status: 3 });
  });

  it("holds back at most a trailer's length, whatever the stream", () => {
    const s = new TrailerScanner(NONCE);
    const big = b("\n".repeat(100_000) + `\n${NONCE} 12`);
    const r = s.push(big);
    expect(r.status).toBeUndefined();
    expect(big.length - r.output.length).toBeLessThanOrEqual(`\n${NONCE} 123\n`.length);
    expect(s.push(b("x")).output.toString("latin1")).toBe(`\n${NONCE} 12x`);
  });

  it("returns bytes as they came (UTF-8 split across chunks is decoded later)", () => {
    const s = new TrailerScanner(NONCE);
    const euro = Buffer.from("€", "utf8");
    const a = s.push(euro.subarray(0, 1));
    const c = s.push(euro.subarray(1));
    expect(Buffer.concat([a.output, c.output]).toString("utf8")).toBe("€");
  });
});

import { describe, expect, it } from "vitest";
import { endsLikePrompt, PromptSettle, type SettleTimers } from "./prompt-settle";

/** Timers the test advances by hand. */
function fakeTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: SettleTimers = {
    set: (fn, ms) => {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clear: (h) => void pending.delete(h as number),
    now: () => now,
  };
  const advance = (ms: number) => {
    const end = now + ms;
    // Fire due timers in time order (a timer may set the next one).
    for (;;) {
      const due = [...pending].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      pending.delete(due[0]);
      now = due[1].at;
      due[1].fn();
    }
    now = end;
  };
  return { timers, advance };
}

const enc = (s: string) => new TextEncoder().encode(s);

function setup() {
  const t = fakeTimers();
  let fired = 0;
  const s = new PromptSettle(250, () => fired++, t.timers);
  return { s, advance: t.advance, fired: () => fired };
}

describe("endsLikePrompt", () => {
  it.each([
    ["/ # ", true],
    ["ls\r\nbin  etc\r\n/ # ", true],
    ["\x1b[1;32mroot@x\x1b[0m:/# ", true],
    ["~ $ ", true],
    [">>> ", true],
    ["\r\n", false],
    ["hello\r\n", false],
    ["50 files", false],
    ["\x1b[H\x1b[2J\x1b[?25h", false],
  ])("%j → %s", (text, want) => expect(endsLikePrompt(text)).toBe(want));
});

describe("PromptSettle: a finished command in a shell without marks", () => {
  it("reports once after Enter when the output went quiet on a prompt", () => {
    const { s, advance, fired } = setup();
    s.input(enc("ls\r"));
    s.output("ls\r\nbin etc\r\n");
    advance(200);
    s.output("/ # ");
    advance(200);
    expect(fired()).toBe(0); // still within the quiet time of the last output
    advance(60);
    expect(fired()).toBe(1);
    advance(1000);
    expect(fired()).toBe(1);
  });

  it("a command that prints its prompt only after a quiet while (still running) is reported when the prompt comes", () => {
    const { s, advance, fired } = setup();
    s.input(enc("sleep 2\r"));
    s.output("sleep 2\r\n");
    advance(2000);
    expect(fired()).toBe(0);
    s.output("/ # ");
    advance(300);
    expect(fired()).toBe(1);
  });

  it("does nothing without Enter, for typing, or while a silent command runs", () => {
    const { s, advance, fired } = setup();
    s.output("/ # ");
    advance(1000);
    s.input(enc("ech"));
    s.output("ech");
    advance(1000);
    s.input(enc("sleep 60\r"));
    s.output("sleep 60\r\n");
    advance(5000);
    expect(fired()).toBe(0);
  });

  it("a shell mark (bash reports its own commands) cancels it", () => {
    const { s, advance, fired } = setup();
    s.input(enc("\r"));
    s.output("\r\n");
    s.mark();
    s.output("root@sandbox:~# ");
    advance(1000);
    expect(fired()).toBe(0);
  });

  it("reports again for the next command, and never after dispose", () => {
    const { s, advance, fired } = setup();
    s.input(enc("a\r"));
    s.output("/ # ");
    advance(300);
    s.input(enc("b\n"));
    s.output("/ # ");
    advance(300);
    expect(fired()).toBe(2);
    s.input(enc("c\r"));
    s.output("/ # ");
    s.dispose();
    advance(300);
    expect(fired()).toBe(2);
  });
});

import { describe, expect, it } from "vitest";
import { Screen } from "./screen";

const snap = (s: Screen) => new Promise<string>((r) => s.snapshot((x) => r(x)));

describe("Screen", () => {
  it("snapshot covers exactly what was written before it, replaying it rebuilds the screen", async () => {
    const s = new Screen(40, 10, 100);
    s.write("one\r\n\x1b[1mtwo\x1b[0m\r\n", 0);
    const p = snap(s);
    s.write("three\r\n", 0); // written after the snapshot was asked for: must not be in it
    const serialized = await p;
    expect(serialized).toContain("one");
    expect(serialized).toContain("two");
    expect(serialized).not.toContain("three");

    const copy = new Screen(40, 10, 100);
    copy.write(serialized, 0);
    copy.write("three\r\n", 0);
    await snap(copy);
    await snap(s);
    expect(copy.text()).toBe(s.text());
  });

  it("counts pending bytes until parsed", async () => {
    const s = new Screen(80, 24);
    const parsed: number[] = [];
    s.write("x".repeat(1000), 1000, (n) => parsed.push(n));
    expect(s.pendingBytes).toBe(1000);
    await snap(s);
    expect(s.pendingBytes).toBe(0);
    expect(parsed).toEqual([1000]);
  });
});

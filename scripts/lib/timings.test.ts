import { describe, expect, it } from "vitest";
import { createTimings, formatTimings } from "./timings.mjs";

describe("npm test's step timings", () => {
  it("records when each step started and how long it took, background steps marked", () => {
    let t = 1000;
    const timings = createTimings(() => t);
    const image = timings.start("sandbox image", { background: true });
    t += 2000;
    const build = timings.start("next build");
    t += 30_000;
    build(true);
    t += 10_000;
    image(false);
    image(true); // a second end is ignored: the first result stands
    expect(timings.rows).toEqual([
      { name: "sandbox image", background: true, startMs: 0, endMs: 42_000, ok: false },
      { name: "next build", background: false, startMs: 2000, endMs: 32_000, ok: true },
    ]);
    expect(timings.elapsed()).toBe(42_000);
  });

  it("prints one line per step and the total; a step that never ended shows as unfinished", () => {
    const text = formatTimings(
      [
        { name: "unit tests", background: false, startMs: 1500, endMs: 65_500, ok: true },
        { name: "fleet tests", background: true, startMs: 65_500, endMs: 300_000, ok: false },
        { name: "end-to-end tests", background: true, startMs: 70_000, endMs: undefined, ok: undefined },
      ],
      301_000,
    );
    expect(text.split("\n")).toEqual([
      "Steps (seconds): started at, took",
      "      1.5    64.0  ✓ unit tests",
      "     65.5   234.5  ✗ fleet tests  (beside the others)",
      "     70.0       —  … end-to-end tests  (beside the others)",
      "    total   301.0",
    ]);
  });
});

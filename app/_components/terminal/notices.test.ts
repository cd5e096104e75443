import { describe, expect, it } from "vitest";
import { adoptNotice } from "./notices";

const restored = { restoredFrom: "2026-11-30T10:00:00.000Z" };
const notKept = { notKept: { at: "2026-11-30T10:00:00.000Z", reason: "too-big" as const, limitMb: 64 } };

describe("the terminal's notice for an adopted sandbox", () => {
  it("says 'expired' when a fresh sandbox replaced a gone one with nothing to restore", () => {
    expect(adoptNotice({ notice: "expired" }, "opened")).toBe("expired");
    expect(adoptNotice({}, "expired")).toBe("expired");
  });

  it("leaves an expiry with saved work to the saved-work notice alone (one notice, not two)", () => {
    expect(adoptNotice({ notice: "expired", savedWork: restored }, "opened")).toBeNull();
    expect(adoptNotice({ notice: "expired", savedWork: restored }, "expired")).toBeNull();
    expect(adoptNotice({ savedWork: notKept }, "expired")).toBeNull();
  });

  it("still says 'moved' (another machine), and nothing for a plain open or a reset", () => {
    expect(adoptNotice({ notice: "moved" }, "opened")).toBe("moved");
    expect(adoptNotice({ notice: "moved", savedWork: restored }, "expired")).toBe("moved");
    expect(adoptNotice({}, "opened")).toBeNull();
    expect(adoptNotice({ savedWork: restored }, "opened")).toBeNull();
    expect(adoptNotice({}, "reset")).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { checkIdRange, shiftId } from "./idmap";

describe("shiftId", () => {
  const r = { base: 100000, count: 65536 };
  it("maps container ids into the host range", () => {
    expect(shiftId(0, r)).toBe(100000);
    expect(shiftId(65535, r)).toBe(165535);
  });
  it("refuses ids outside the range and says what to do", () => {
    expect(() => shiftId(65536, r, "uid of /x")).toThrow(/uid of \/x 65536 is outside the 65536 ids.*SANDBOX_UID_COUNT/);
    expect(() => shiftId(-1, r)).toThrow(/not a valid id/);
  });
  it("validates the range", () => {
    expect(() => checkIdRange({ base: 0, count: 10 })).toThrow(/uidBase/);
    expect(() => checkIdRange({ base: 4294967000, count: 65536 })).toThrow(/largest Linux id/);
    expect(() => checkIdRange(r)).not.toThrow();
  });
});

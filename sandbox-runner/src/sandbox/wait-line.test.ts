import { describe, expect, it } from "vitest";
import { WaitLine } from "./wait-line";

describe("WaitLine", () => {
  it("first come first served; asking again keeps the place", () => {
    const line = new WaitLine<string>(10_000);
    for (const [i, o] of ["ana", "bia", "caio", "davi"].entries()) line.join(o, i, "pt-BR");
    expect(["ana", "bia", "caio", "davi"].map((o) => line.position(o))).toEqual([1, 2, 3, 4]);
    line.join("caio", 100, "en");
    expect(line.position("caio")).toBe(3);
    expect(line.get("caio")?.data).toBe("en");
    expect(line.position("nobody")).toBe(0);
  });

  it("admits the first in line as room frees; those behind move up", () => {
    const line = new WaitLine<null>(10_000);
    for (const o of ["ana", "bia", "caio"]) line.join(o, 0, null);
    expect(line.admit(1).map((e) => e.owner)).toEqual(["ana"]);
    expect(line.position("ana")).toBe(0);
    expect(line.position("bia")).toBe(1);
    expect(line.waiting).toBe(2);
    expect(line.waitingOwners()).toEqual(["bia", "caio"]);
    expect(line.admit(5).map((e) => e.owner)).toEqual(["bia", "caio"]);
    expect(line.waiting).toBe(0);
    expect(line.size).toBe(3);
    // Admitted, but the room was gone after all: back to the front.
    line.readmitLater("caio");
    expect(line.position("caio")).toBe(1);
  });

  it("an owner who stopped asking drops out; the rest move up", () => {
    const line = new WaitLine<null>(5_000);
    line.join("ana", 0, null);
    line.join("bia", 0, null);
    line.join("caio", 0, null);
    line.join("ana", 3_000, null);
    line.join("caio", 3_000, null);
    expect(line.dropLeavers(5_000).map((e) => e.owner)).toEqual(["bia"]);
    expect(line.position("caio")).toBe(2);
    expect(line.dropLeavers(8_000).map((e) => e.owner)).toEqual(["ana", "caio"]);
    expect(line.size).toBe(0);
  });
});

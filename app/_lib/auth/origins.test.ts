import { describe, expect, it } from "vitest";
import { requestOrigins } from "./origins";
import { safeNext } from "../instructor/paths";
import { newJoinCode, normalizeJoinCode } from "../dal/join-code";

describe("trusted origins from the request", () => {
  it("trusts the host the request came to, with the proxy's protocol when given", () => {
    expect(requestOrigins(new Headers({ host: "localhost:3000" }))).toEqual(["http://localhost:3000", "https://localhost:3000"]);
    expect(
      requestOrigins(new Headers({ host: "10.0.0.1:3000", "x-forwarded-host": "curso.example.org", "x-forwarded-proto": "https" })),
    ).toEqual(["https://curso.example.org"]);
  });
  it("trusts nothing for a missing or odd host", () => {
    expect(requestOrigins(undefined)).toEqual([]);
    expect(requestOrigins(new Headers({ host: "evil.example/path" }))).toEqual([]);
  });
});

describe("after sign-in", () => {
  it("follows local paths only (no open redirect)", () => {
    expect(safeNext("/instructor", "/")).toBe("/instructor");
    expect(safeNext("/en/instructor?tab=a#x", "/")).toBe("/en/instructor?tab=a#x");
    for (const bad of ["//evil.example", "https://evil.example", "/\\evil", undefined, 3]) expect(safeNext(bad, "/")).toBe("/");
  });
  it("refuses what the URL parser would turn into another site (tabs, newlines, spaces, backslashes)", () => {
    // The red team's route: `/en/signup?next=/%09/evil.example/x` ended at http://evil.example/x.
    for (const bad of ["/\t/evil.example/x", "/\n/evil.example", "/\r//evil.example", "/ /evil.example", "/\u0000x", "/\\/evil.example"])
      expect(safeNext(bad, "/")).toBe("/");
  });
});

describe("join codes", () => {
  it("are 8 unambiguous characters and normalise what learners type", () => {
    const c = newJoinCode();
    expect(c).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);
    expect(normalizeJoinCode(` ${c.slice(0, 4).toLowerCase()}-${c.slice(4)} `)).toBe(c);
    for (const bad of ["", "ABC", "ABCDEFG0", "ABCDEFGHI", null]) expect(normalizeJoinCode(bad)).toBeNull();
  });
});

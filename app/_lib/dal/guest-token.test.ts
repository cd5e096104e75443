import { describe, expect, it } from "vitest";
import { newGuestId, signGuestToken, verifyGuestToken } from "./guest-token";

const secret = "s3cret-s3cret-s3cret";

describe("guest cookie token", () => {
  it("round-trips a fresh guest id", () => {
    const id = newGuestId();
    expect(verifyGuestToken(secret, signGuestToken(secret, id))).toBe(id);
  });

  it("gives every guest a different id", () => {
    expect(new Set(Array.from({ length: 100 }, newGuestId)).size).toBe(100);
  });

  it("refuses a token whose id was swapped (reading someone else's progress)", () => {
    const token = signGuestToken(secret, "g_alice123");
    const sig = token.split(".")[1];
    expect(verifyGuestToken(secret, `g_bob45678.${sig}`)).toBeNull();
  });

  it("refuses tokens signed with another secret, and malformed values", () => {
    expect(verifyGuestToken(secret, signGuestToken("another-secret-value", "g_alice123"))).toBeNull();
    for (const bad of [undefined, null, "", "g_alice123", "g_alice123.", ".abc", "a.b.c", "../x.y"]) {
      expect(verifyGuestToken(secret, bad)).toBeNull();
    }
  });

  it("will not sign an id that could not be stored safely", () => {
    expect(() => signGuestToken(secret, "a.b")).toThrow(/not a valid id/);
  });
});

import { describe, expect, it } from "vitest";
import { hashInviteToken, MAX_INVITES, newInviteToken, normalizeInviteToken, parseInviteList } from "./invites";
import { normalizeJoinCode } from "./join-code";

describe("bulk invite lists and one-time codes", () => {
  it("takes one person a line (or comma/semicolon separated), trimmed, without repeats", () => {
    expect(parseInviteList(" ana@escola.br\n\nBia  Souza; ANA@escola.br,caio@escola.br\r\n")).toEqual([
      "ana@escola.br",
      "Bia Souza",
      "caio@escola.br",
    ]);
  });

  it("says what is wrong with a list it cannot use", () => {
    expect(() => parseInviteList(" \n ,")).toThrow(/empty/);
    expect(() => parseInviteList("x".repeat(121))).toThrow(/120 characters/);
    expect(() => parseInviteList(Array.from({ length: MAX_INVITES + 1 }, (_, i) => `p${i}`).join("\n"))).toThrow(/at most 200/);
  });

  it("makes 12-character codes that are never taken for a class code, and stores only a hash", () => {
    const t = newInviteToken();
    expect(normalizeInviteToken(t.toLowerCase().replace(/(.{4})/g, "$1-"))).toBe(t);
    expect(normalizeJoinCode(t)).toBeNull();
    expect(normalizeInviteToken("ABCDEFGH")).toBeNull();
    expect(hashInviteToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashInviteToken(t)).not.toContain(t);
  });
});

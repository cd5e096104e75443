import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { signToken, verifyToken } from "./token";

const secret = "0123456789abcdef0123456789abcdef";

describe("tokens", () => {
  it("round-trips claims", async () => {
    const t = await signToken(secret, { sub: "u1", sid: "sb1", role: "learner" });
    const r = await verifyToken(secret, t);
    expect(r).toMatchObject({ ok: true, claims: { sub: "u1", sid: "sb1", role: "learner" } });
  });

  it("rejects expired, forged, malformed and foreign tokens with typed reasons", async () => {
    const old = await signToken(secret, { sub: "u", sid: "s", role: "learner" }, { ttlSeconds: 10, now: Date.now() - 60_000 });
    expect(await verifyToken(secret, old)).toMatchObject({ ok: false, reason: "expired" });
    const forged = await signToken("another-secret-of-16+chars", { sub: "u", sid: "s", role: "learner" });
    expect(await verifyToken(secret, forged)).toMatchObject({ ok: false, reason: "bad-signature" });
    expect(await verifyToken(secret, "not.a.jwt")).toMatchObject({ ok: false, reason: "malformed" });
    expect(await verifyToken(secret, "")).toMatchObject({ ok: false, reason: "malformed" });
    const foreign = await new SignJWT({ sid: "s", role: "learner" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("u")
      .setAudience("someone-else")
      .setIssuer("aprendendo-docker")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(secret));
    expect(await verifyToken(secret, foreign)).toMatchObject({ ok: false, reason: "wrong-audience" });
  });

  it("rejects alg=none and a wildcard sandbox for non-app roles", async () => {
    const none =
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url") +
      "." +
      Buffer.from(JSON.stringify({ sub: "u", sid: "s", role: "app", exp: 9e9, aud: "sandbox-runner", iss: "aprendendo-docker" })).toString(
        "base64url",
      ) +
      ".";
    expect(await verifyToken(secret, none)).toMatchObject({ ok: false, reason: "malformed" });
    const wild = await signToken(secret, { sub: "u", sid: "*", role: "observer" });
    expect(await verifyToken(secret, wild)).toMatchObject({ ok: false, reason: "wrong-claims" });
  });

  it("refuses a valid token with whitespace slipped in (a lenient base64url decoder would not)", async () => {
    const t = await signToken(secret, { sub: "u1", sid: "sb1", role: "learner" });
    const [h, p, sig] = t.split(".");
    for (const bad of [`${h}.${p}. ${sig}`, `${h}.${p}.${sig} `, ` ${t}`, `${h}.${p}.${sig!.slice(0, 5)}\n${sig!.slice(5)}`]) {
      expect(await verifyToken(secret, bad)).toMatchObject({ ok: false, reason: "malformed" });
    }
    expect((await verifyToken(secret, t)).ok).toBe(true);
  });

  it("refuses a short secret loudly", async () => {
    await expect(signToken("short", { sub: "u", sid: "s", role: "app" })).rejects.toThrow(/16 characters/);
  });
});

import { describe, expect, it } from "vitest";
import { SignJWT, importPKCS8 } from "jose";
import { generateSigningKeys, signToken, verifyToken } from "./token";

const app = generateSigningKeys();
const claims = { sub: "u1", sid: "sb1", role: "learner" } as const;

describe("tokens", () => {
  it("round-trips claims for the runner they name", async () => {
    const t = await signToken(app.privateKey, claims, { runner: "runner-a" });
    const r = await verifyToken(app.publicKey, t, { runner: "runner-a" });
    expect(r).toMatchObject({ ok: true, claims: { sub: "u1", sid: "sb1", role: "learner" } });
  });

  it("a token made for runner A is refused by runner B", async () => {
    const t = await signToken(app.privateKey, claims, { runner: "runner-a" });
    expect(await verifyToken(app.publicKey, t, { runner: "runner-b" })).toMatchObject({ ok: false, reason: "wrong-audience" });
  });

  it("a token signed with any key but the app's (a runner's own, say) is refused", async () => {
    const runnersKey = generateSigningKeys();
    const t = await signToken(runnersKey.privateKey, claims);
    expect(await verifyToken(app.publicKey, t)).toMatchObject({ ok: false, reason: "bad-signature" });
  });

  it("HS256 signed with the public key every runner holds is refused (algorithm confusion)", async () => {
    const t = await new SignJWT({ sid: "sb1", role: "app" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("app")
      .setAudience("local")
      .setIssuer("aprendendo-docker")
      .setExpirationTime("1m")
      .sign(new TextEncoder().encode(app.publicKey));
    expect(await verifyToken(app.publicKey, t)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("rejects expired, malformed and alg=none tokens with typed reasons", async () => {
    const old = await signToken(app.privateKey, claims, { ttlSeconds: 10, now: Date.now() - 60_000 });
    expect(await verifyToken(app.publicKey, old)).toMatchObject({ ok: false, reason: "expired" });
    expect(await verifyToken(app.publicKey, "not.a.jwt")).toMatchObject({ ok: false, reason: "malformed" });
    expect(await verifyToken(app.publicKey, "")).toMatchObject({ ok: false, reason: "malformed" });
    const none =
      Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url") +
      "." +
      Buffer.from(JSON.stringify({ sub: "u", sid: "s", role: "app", exp: 9e9, aud: "local", iss: "aprendendo-docker" })).toString(
        "base64url",
      ) +
      ".";
    expect(await verifyToken(app.publicKey, none)).toMatchObject({ ok: false, reason: "malformed" });
  });

  it("a wildcard sandbox is only for app tokens", async () => {
    const wild = await signToken(app.privateKey, { sub: "u", sid: "*", role: "observer" });
    expect(await verifyToken(app.publicKey, wild)).toMatchObject({ ok: false, reason: "wrong-claims" });
    const key = await importPKCS8(app.privateKey, "EdDSA");
    const noSid = await new SignJWT({ role: "learner" })
      .setProtectedHeader({ alg: "EdDSA" })
      .setSubject("u")
      .setAudience("local")
      .setIssuer("aprendendo-docker")
      .setExpirationTime("1m")
      .sign(key);
    expect(await verifyToken(app.publicKey, noSid)).toMatchObject({ ok: false, reason: "wrong-claims" });
  });

  it("refuses a valid token with whitespace slipped in (a lenient base64url decoder would not)", async () => {
    const t = await signToken(app.privateKey, claims);
    const [h, p, sig] = t.split(".");
    for (const bad of [`${h}.${p}. ${sig}`, `${h}.${p}.${sig} `, ` ${t}`, `${h}.${p}.${sig!.slice(0, 5)}\n${sig!.slice(5)}`]) {
      expect(await verifyToken(app.publicKey, bad)).toMatchObject({ ok: false, reason: "malformed" });
    }
    expect((await verifyToken(app.publicKey, t)).ok).toBe(true);
  });

  it("says what is wrong with a key that is not an Ed25519 PEM", async () => {
    await expect(signToken("not a key", claims)).rejects.toThrow(/Ed25519 private key/);
    await expect(verifyToken("not a key", "a.b.c")).rejects.toThrow(/Ed25519 key in SPKI PEM/);
  });
});

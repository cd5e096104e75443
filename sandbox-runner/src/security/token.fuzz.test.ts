/**
 * Property-based fuzzing of the token parser (verifyToken): whatever a hostile browser or a network
 * attacker sends, it never throws, and it never accepts a token that is not exactly one the app
 * signed with its private key, unexpired, for this runner. (The WebSocket frame decoder is fuzzed
 * in terminal/protocol.test.ts.)
 */
import fc from "fast-check";
import { SignJWT, UnsecuredJWT, importPKCS8 } from "jose";
import { describe, expect, it } from "vitest";
import { DEFAULT_RUNNER_NAME, generateSigningKeys, signToken, TOKEN_ISSUER, verifyToken, type TokenRole } from "../../../contract/token";

/** The app's key pair; OTHER is any other Ed25519 key (a runner's, an attacker's). */
const KEYS = generateSigningKeys();
const OTHER = generateSigningKeys();
const TOKEN_AUDIENCE = DEFAULT_RUNNER_NAME;
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const RUNS = { numRuns: 300 };

const role = fc.constantFrom<TokenRole>("learner", "observer", "app");
const claims = fc.record({ sub: fc.string({ minLength: 1, maxLength: 40 }), sid: fc.stringMatching(/^[0-9a-f]{16}$/), role });
const b64url = (s: string | Uint8Array) => Buffer.from(s).toString("base64url");

async function expectRejected(token: string, now = NOW) {
  const r = await verifyToken(KEYS.publicKey, token, { now });
  expect(r.ok, `accepted ${JSON.stringify(token)}`).toBe(false);
  if (!r.ok) expect(["expired", "bad-signature", "malformed", "wrong-audience", "wrong-claims"]).toContain(r.reason);
}

describe("verifyToken under fuzzing", () => {
  it("never throws and never accepts arbitrary strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string(),
          fc.string({ unit: "binary" }),
          fc.base64String(),
          fc.stringMatching(/^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/),
        ),
        (s) => expectRejected(s),
      ),
      RUNS,
    );
  });

  it("never accepts three base64url parts of arbitrary JSON, whatever the header says", async () => {
    const json = fc.jsonValue().map((v) => JSON.stringify(v));
    const header = fc.oneof(
      json,
      fc.constantFrom(
        '{"alg":"none"}',
        '{"alg":"HS256"}',
        '{"alg":"HS512","typ":"JWT"}',
        '{"alg":"RS256"}',
        '{"alg":"HS256","crit":["x"]}',
      ),
    );
    await fc.assert(
      fc.asyncProperty(header, json, fc.uint8Array({ maxLength: 64 }), (h, p, sig) =>
        expectRejected(`${b64url(h)}.${b64url(p)}.${b64url(sig)}`),
      ),
      RUNS,
    );
  });

  it("a valid token with any single character changed, dropped or added is refused", async () => {
    await fc.assert(
      fc.asyncProperty(
        claims,
        fc.nat(),
        fc.constantFrom("flip", "drop", "insert"),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ "),
        async (c, at, op, ch) => {
          const t = await signToken(KEYS.privateKey, c, { now: NOW });
          expect((await verifyToken(KEYS.publicKey, t, { now: NOW })).ok).toBe(true); // the unmutated one is fine
          const i = at % t.length;
          let mutated: string;
          if (op === "drop") mutated = t.slice(0, i) + t.slice(i + 1);
          else if (op === "insert") mutated = t.slice(0, i) + ch + t.slice(i);
          else mutated = t.slice(0, i) + (t[i] === ch ? (ch === "A" ? "B" : "A") : ch) + t.slice(i + 1);
          // base64url's last character can carry unused low bits; a change there may decode to the
          // same bytes, which is the same token, not a forgery: compare what the bytes say.
          const sameBytes =
            mutated.split(".").length === 3 &&
            mutated
              .split(".")
              .every(
                (part, k) =>
                  /^[A-Za-z0-9_-]*$/.test(part) && Buffer.from(part, "base64url").equals(Buffer.from(t.split(".")[k]!, "base64url")),
              );
          if (sameBytes) return;
          await expectRejected(mutated);
        },
      ),
      RUNS,
    );
  });

  it("a token whose claims are swapped for others (same signature) is refused", async () => {
    await fc.assert(
      fc.asyncProperty(claims, claims, async (a, b) => {
        fc.pre(a.sub !== b.sub || a.sid !== b.sid || a.role !== b.role);
        const [h, , s] = (await signToken(KEYS.privateKey, a, { now: NOW })).split(".");
        const [, p] = (await signToken(KEYS.privateKey, b, { now: NOW })).split(".");
        await expectRejected(`${h}.${p}.${s}`);
      }),
      RUNS,
    );
  });

  it("another key, HS256 with the public key as secret, alg none, expired, another runner or issuer: all refused", async () => {
    const appKey = await importPKCS8(KEYS.privateKey, "EdDSA");
    await fc.assert(
      fc.asyncProperty(
        claims,
        fc.string({ minLength: 16, maxLength: 40 }),
        fc.integer({ min: 6, max: 10 * 24 * 3600 }),
        async (c, hmacSecret, lateBy) => {
          await expectRejected(await signToken(OTHER.privateKey, c, { now: NOW }));
          const expired = await signToken(KEYS.privateKey, c, { ttlSeconds: 60, now: NOW });
          const late = await verifyToken(KEYS.publicKey, expired, { now: NOW + 60_000 + lateBy * 1000 });
          expect(late).toMatchObject({ ok: false, reason: "expired" });
          const unsecured = new UnsecuredJWT({ sid: c.sid, role: c.role })
            .setSubject(c.sub)
            .setAudience(TOKEN_AUDIENCE)
            .setIssuer(TOKEN_ISSUER)
            .setExpirationTime(NOW / 1000 + 60)
            .encode();
          await expectRejected(unsecured);
          const sign = (alg: string, key: CryptoKey | Uint8Array, aud: string, iss: string) =>
            new SignJWT({ sid: c.sid, role: c.role })
              .setProtectedHeader({ alg })
              .setSubject(c.sub)
              .setAudience(aud)
              .setIssuer(iss)
              .setIssuedAt(NOW / 1000)
              .setExpirationTime(NOW / 1000 + 60)
              .sign(key);
          const enc = (t: string) => new TextEncoder().encode(t);
          // Algorithm confusion: the public key (which every runner holds) used as an HMAC secret.
          await expectRejected(await sign("HS256", enc(KEYS.publicKey), TOKEN_AUDIENCE, TOKEN_ISSUER));
          await expectRejected(await sign("HS512", enc(KEYS.publicKey), TOKEN_AUDIENCE, TOKEN_ISSUER));
          await expectRejected(await sign("HS256", enc(hmacSecret), TOKEN_AUDIENCE, TOKEN_ISSUER));
          await expectRejected(await sign("EdDSA", appKey, "another-runner", TOKEN_ISSUER));
          await expectRejected(await sign("EdDSA", appKey, TOKEN_AUDIENCE, "someone-else"));
          expect((await verifyToken(KEYS.publicKey, await sign("EdDSA", appKey, TOKEN_AUDIENCE, TOKEN_ISSUER), { now: NOW })).ok).toBe(
            true,
          ); // control
        },
      ),
      { numRuns: 60 },
    );
    // Ed25519 signing per case is slower than HMAC was: generous on a loaded machine.
  }, 180_000);

  it("replay after expiry is refused; a wildcard sandbox is only for the app", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom<TokenRole>("learner", "observer"), async (sub, r) => {
        const t = await signToken(KEYS.privateKey, { sub, sid: "0123456789abcdef", role: r }, { now: NOW });
        expect((await verifyToken(KEYS.publicKey, t, { now: NOW + 30_000 })).ok).toBe(true); // replay inside its minute works, by design
        expect(await verifyToken(KEYS.publicKey, t, { now: NOW + 66_000 })).toMatchObject({ ok: false, reason: "expired" });
        await expectRejected(await signToken(KEYS.privateKey, { sub, sid: "*", role: r }, { now: NOW }));
      }),
      { numRuns: 100 },
    );
  });
});

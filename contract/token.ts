import { generateKeyPairSync } from "node:crypto";
import { SignJWT, errors, importPKCS8, importSPKI, jwtVerify } from "jose";

/**
 * Short-lived tokens the app signs and runners check: EdDSA (Ed25519) JWTs. Only the app holds the
 * private key; a runner holds the public key, so no runner (nor anyone who takes one over) can mint
 * a token another runner accepts. Each token names the one runner it is for (`aud` = the runner's
 * name) and a runner refuses any other's. A token is bound to a user (`sub`), a sandbox (`sid`, "*"
 * only for the app itself) and a role. Server-side only (node:crypto).
 */
export type TokenRole = "learner" | "observer" | "app";
export interface TokenClaims {
  sub: string;
  sid: string;
  role: TokenRole;
  exp: number;
}

/** The runner `npm start` runs, when nothing names one (RUNNER_NAME). */
export const DEFAULT_RUNNER_NAME = "local";
export const TOKEN_ISSUER = "aprendendo-docker";
export const TOKEN_ALG = "EdDSA";

/** Default lifetimes (seconds): a WebSocket token is only needed for the first frame. */
export const DEFAULT_TTL: Record<TokenRole, number> = { learner: 60, observer: 60, app: 60 };

export type TokenFailure = "expired" | "bad-signature" | "malformed" | "wrong-audience" | "wrong-claims";
export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenFailure; message: string };

/** A new Ed25519 key pair as PEM (PKCS#8 private, SPKI public). */
export function generateSigningKeys(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  return {
    privateKey: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    publicKey: publicKey.export({ type: "spki", format: "pem" }).toString(),
  };
}

/**
 * Keys imported once per PEM: importing again on every call would be most of a token check's time
 * (a learner's WebSocket waits on it). A handful per process (tests use several).
 */
const imported = new Map<string, Promise<CryptoKey>>();
function cachedKey(kind: "private" | "public", pem: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> {
  const id = `${kind}:${pem}`;
  let k = imported.get(id);
  if (!k) {
    k = load();
    if (imported.size > 32) imported.clear();
    imported.set(id, k);
  }
  return k;
}
const privateKeyOf = (pem: string) =>
  cachedKey("private", pem, () =>
    importPKCS8(pem, TOKEN_ALG).catch(() => {
      throw new Error("the token signing key is not an Ed25519 private key in PKCS#8 PEM: delete it to have a new one made");
    }),
  );
/** The runner's view of the app's public key; a malformed one stops the runner's start with this message. */
export const publicKeyOf = (pem: string) =>
  cachedKey("public", pem, () =>
    importSPKI(pem, TOKEN_ALG).catch(() => {
      throw new Error("the app's public key is not an Ed25519 key in SPKI PEM (-----BEGIN PUBLIC KEY-----)");
    }),
  );

export async function signToken(
  privateKeyPem: string,
  claims: { sub: string; sid: string; role: TokenRole },
  opts: { runner?: string; ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  return new SignJWT({ sid: claims.sid, role: claims.role })
    .setProtectedHeader({ alg: TOKEN_ALG, typ: "JWT" })
    .setSubject(claims.sub)
    .setAudience(opts.runner ?? DEFAULT_RUNNER_NAME)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? DEFAULT_TTL[claims.role]))
    .sign(await privateKeyOf(privateKeyPem));
}

const ROLES = new Set<string>(["learner", "observer", "app"]);

/** Compact JWS, base64url only: jose's decoder would skip a space inside (found by fuzzing). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MALFORMED = "token is not a valid EdDSA JWT";

/**
 * Never throws on a token: every failure is a typed reason the server maps to a close code or status.
 * Only EdDSA is accepted (no HS256 with the public key as secret, no "none"), only for `runner`.
 */
export async function verifyToken(
  publicKeyPem: string,
  token: string,
  opts: { runner?: string; now?: number } = {},
): Promise<VerifyResult> {
  if (!COMPACT_JWS.test(token)) return { ok: false, reason: "malformed", message: MALFORMED };
  const key = await publicKeyOf(publicKeyPem);
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: [TOKEN_ALG],
      audience: opts.runner ?? DEFAULT_RUNNER_NAME,
      issuer: TOKEN_ISSUER,
      currentDate: opts.now !== undefined ? new Date(opts.now) : undefined,
      clockTolerance: 5,
      requiredClaims: ["exp", "sub"],
    });
    const { sub, sid, role, exp } = payload as Record<string, unknown>;
    if (typeof sub !== "string" || typeof sid !== "string" || typeof role !== "string" || !ROLES.has(role) || typeof exp !== "number") {
      return { ok: false, reason: "wrong-claims", message: "token lacks sub, sid or a valid role" };
    }
    if (role !== "app" && sid === "*") return { ok: false, reason: "wrong-claims", message: "only app tokens may name every sandbox" };
    return { ok: true, claims: { sub, sid, role: role as TokenRole, exp } };
  } catch (e) {
    if (e instanceof errors.JWTExpired) return { ok: false, reason: "expired", message: "token expired; ask the app for a new one" };
    if (e instanceof errors.JWSSignatureVerificationFailed)
      return { ok: false, reason: "bad-signature", message: "token signature does not match the app's key" };
    if (e instanceof errors.JWTClaimValidationFailed) {
      if (e.claim === "aud")
        return { ok: false, reason: "wrong-audience", message: `token is for another runner, not ${opts.runner ?? DEFAULT_RUNNER_NAME}` };
      const reason: TokenFailure = e.claim === "iss" ? "wrong-audience" : "wrong-claims";
      return { ok: false, reason, message: `token claim "${e.claim}" is not valid here` };
    }
    return { ok: false, reason: "malformed", message: MALFORMED };
  }
}

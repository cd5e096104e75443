import { SignJWT, errors, jwtVerify } from "jose";

/**
 * Short-lived tokens the app signs and the runner checks (HS256, a secret both share). A token is
 * bound to a user (`sub`), a sandbox (`sid`, "*" only for the app itself) and a role. Importable by
 * the Next.js app: no runner-only imports here.
 */
export type TokenRole = "learner" | "observer" | "app";
export interface TokenClaims {
  sub: string;
  sid: string;
  role: TokenRole;
  exp: number;
}

export const TOKEN_AUDIENCE = "sandbox-runner";
export const TOKEN_ISSUER = "aprendendo-docker";

/** Default lifetimes (seconds): a WebSocket token is only needed for the first frame. */
export const DEFAULT_TTL: Record<TokenRole, number> = { learner: 60, observer: 60, app: 60 };

export type TokenFailure = "expired" | "bad-signature" | "malformed" | "wrong-audience" | "wrong-claims";
export type VerifyResult = { ok: true; claims: TokenClaims } | { ok: false; reason: TokenFailure; message: string };

/**
 * The HMAC key, imported into WebCrypto once per secret: jose would import raw bytes again on every
 * call, which is most of a token check's time (a learner's WebSocket waits on it).
 */
const keys = new Map<string, Promise<CryptoKey>>();
function key(secret: string): Promise<CryptoKey> {
  if (secret.length < 16) return Promise.reject(new Error("token secret must be at least 16 characters (RUNNER_SECRET)"));
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    if (keys.size > 16) keys.clear(); // a handful of secrets per process (tests use several)
    keys.set(secret, k);
  }
  return k;
}

export async function signToken(
  secret: string,
  claims: { sub: string; sid: string; role: TokenRole },
  opts: { ttlSeconds?: number; now?: number } = {},
): Promise<string> {
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  return new SignJWT({ sid: claims.sid, role: claims.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(claims.sub)
    .setAudience(TOKEN_AUDIENCE)
    .setIssuer(TOKEN_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + (opts.ttlSeconds ?? DEFAULT_TTL[claims.role]))
    .sign(await key(secret));
}

const ROLES = new Set<string>(["learner", "observer", "app"]);

/** Never throws: every failure is a typed reason the server maps to a close code or status. */
/** Compact JWS, base64url only: jose's decoder would skip a space inside (found by fuzzing). */
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export async function verifyToken(secret: string, token: string, opts: { now?: number } = {}): Promise<VerifyResult> {
  if (!COMPACT_JWS.test(token)) return { ok: false, reason: "malformed", message: "token is not a valid HS256 JWT" };
  try {
    const { payload } = await jwtVerify(token, await key(secret), {
      algorithms: ["HS256"],
      audience: TOKEN_AUDIENCE,
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
      return { ok: false, reason: "bad-signature", message: "token signature does not match" };
    if (e instanceof errors.JWTClaimValidationFailed) {
      const reason: TokenFailure = e.claim === "aud" || e.claim === "iss" ? "wrong-audience" : "wrong-claims";
      return { ok: false, reason, message: `token claim "${e.claim}" is not valid here` };
    }
    return { ok: false, reason: "malformed", message: "token is not a valid HS256 JWT" };
  }
}

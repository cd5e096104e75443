import fs from "node:fs";
import path from "node:path";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/**
 * The tool's own RSA key (LTI platforms accept RS256): it signs Deep Linking responses and the
 * client-credentials assertions for grades and rosters; platforms read the public half from
 * /api/lti/jwks. Generated once into DATA_DIR/lti/tool-key.json (0600, directory 0700): a new key
 * would break every platform that cached the old one.
 */
export interface ToolKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK & { kid: string; alg: "RS256"; use: "sig" };
}

export const TOOL_KEY_FILE = "tool-key.json";

async function fromJwk(jwk: JWK): Promise<ToolKey> {
  const kid = jwk.kid ?? (await calculateJwkThumbprint(jwk));
  const privateKey = (await importJWK({ ...jwk, alg: "RS256" }, "RS256")) as CryptoKey;
  const { kty, n, e } = jwk;
  return { kid, privateKey, publicJwk: { kty, n, e, kid, alg: "RS256", use: "sig" } };
}

export async function loadOrCreateToolKey(dataDir: string): Promise<ToolKey> {
  const dir = path.join(/*turbopackIgnore: true*/ dataDir, "lti");
  const file = path.join(dir, TOOL_KEY_FILE);
  try {
    return await fromJwk(JSON.parse(fs.readFileSync(file, "utf8")) as JWK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read the LTI tool key ${file}: ${(e as Error).message}`);
  }
  // 0700 (the app reaches the runner only through the contract, so no shared helper for this).
  fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ dir), { recursive: true });
  if (!fs.existsSync(dir)) fs.mkdirSync(dir, { mode: 0o700, recursive: true });
  const { privateKey } = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  jwk.kid = await calculateJwkThumbprint({ kty: jwk.kty!, n: jwk.n!, e: jwk.e! });
  try {
    // "wx": two processes starting at once write one key; the loser reads the winner's.
    fs.writeFileSync(file, JSON.stringify(jwk) + "\n", { mode: 0o600, flag: "wx" });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot write the LTI tool key ${file}: ${(e as Error).message}`);
    return fromJwk(JSON.parse(fs.readFileSync(file, "utf8")) as JWK);
  }
  return fromJwk(jwk);
}

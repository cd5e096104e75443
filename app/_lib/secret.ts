import path from "node:path";
import { loadOrCreateSecret } from "./auth-secret";
import { loadOrCreateSigningKeys } from "./signing-keys";

/** The app's cookie secret (AUTH_SECRET, or DATA_DIR/secret generated once). Never leaves the app. */
let cached: string | undefined;

export function platformSecret(env: NodeJS.ProcessEnv = process.env): string {
  cached ??= loadOrCreateSecret(path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || ".data"), env.AUTH_SECRET);
  return cached;
}

let keys: { privateKey: string; publicKey: string } | undefined;

/** The app's private key that signs every runner token (DATA_DIR/keys, made once). Never leaves the app. */
export function tokenSigningKey(env: NodeJS.ProcessEnv = process.env): string {
  keys ??= loadOrCreateSigningKeys(path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || ".data"));
  return keys.privateKey;
}

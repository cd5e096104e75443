import path from "node:path";
import { loadOrCreateSecret } from "@contract/secret";

/**
 * The HMAC secret shared by app and runner (RUNNER_SECRET, or DATA_DIR/secret generated once by
 * whichever process starts first). The runner's own function, so both always agree.
 */
let cached: string | undefined;

export function platformSecret(env: NodeJS.ProcessEnv = process.env): string {
  cached ??= loadOrCreateSecret(path.resolve(/*turbopackIgnore: true*/ env.DATA_DIR || ".data"), env.RUNNER_SECRET);
  return cached;
}

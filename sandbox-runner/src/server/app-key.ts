import fs from "node:fs";
import path from "node:path";
import { publicKeyOf } from "../../../contract/token";
import type { RunnerConfig } from "../config/config";

/**
 * The app's public key, the only key whose tokens this runner accepts: APP_PUBLIC_KEY, else the
 * file the app made beside its private key (DATA_DIR/keys/app-signing.pub, one machine, no
 * configuration). The runner never holds a key that can sign.
 */
export async function loadAppPublicKey(cfg: Pick<RunnerConfig, "APP_PUBLIC_KEY" | "dataDir">): Promise<string> {
  let pem = cfg.APP_PUBLIC_KEY;
  if (!pem) {
    const file = path.join(cfg.dataDir, "keys", "app-signing.pub");
    try {
      pem = fs.readFileSync(file, "utf8");
    } catch {
      throw new Error(
        `no public key of the app at ${file}: start the app once with the same DATA_DIR (npm start makes the key pair), or set APP_PUBLIC_KEY to the app's public key`,
      );
    }
  }
  await publicKeyOf(pem);
  return pem;
}

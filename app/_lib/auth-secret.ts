import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * The app's own HMAC secret (session and guest cookies): AUTH_SECRET if set, else one generated once
 * into DATA_DIR/secret (mode 0600). Runners never see it: their tokens are signed with the app's
 * Ed25519 key (signing-keys.ts).
 */
export function loadOrCreateSecret(dataDir: string, fromEnv: string | undefined = process.env.AUTH_SECRET): string {
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error("AUTH_SECRET must be at least 16 characters; set a longer one or unset it to generate one");
    return fromEnv;
  }
  const file = path.join(dataDir, "secret");
  try {
    const s = fs.readFileSync(file, "utf8").trim();
    if (s.length >= 16) return s;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read ${file}: ${(e as Error).message}`);
  }
  // Its parents with the usual modes (a 0700 parent would lock the sandboxes out), itself 0700.
  fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ dataDir), { recursive: true });
  if (!fs.existsSync(dataDir)) fs.mkdirSync(dataDir, { mode: 0o700 });
  const secret = randomBytes(32).toString("base64url");
  try {
    // "wx": if the app and the runner race at first start, exactly one writes; the other reads.
    fs.writeFileSync(file, secret + "\n", { mode: 0o600, flag: "wx" });
    return secret;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return fs.readFileSync(file, "utf8").trim();
    throw new Error(`cannot write ${file}: ${(e as Error).message}`);
  }
}

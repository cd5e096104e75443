import { createPublicKey } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { generateSigningKeys } from "@contract/token";

/**
 * The app's token-signing key pair (Ed25519): made once into DATA_DIR/keys, the private key 0600
 * (only the app reads it), the public key beside it for the runners (`npm start` passes it to its
 * runner; a runner elsewhere gets it as APP_PUBLIC_KEY). Runners can check tokens, never make them.
 */
export function signingKeyPaths(dataDir: string) {
  // The comments keep Next's file tracer from copying the data folder into the build.
  const dir = path.join(/*turbopackIgnore: true*/ dataDir, "keys");
  return { dir, privateKey: path.join(dir, "app-signing.key"), publicKey: path.join(dir, "app-signing.pub") };
}

export function loadOrCreateSigningKeys(dataDir: string): { privateKey: string; publicKey: string } {
  const p = signingKeyPaths(dataDir);
  fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ p.dir), { recursive: true });
  if (!fs.existsSync(p.dir)) fs.mkdirSync(p.dir, { mode: 0o700, recursive: true });
  let privateKey: string;
  try {
    privateKey = fs.readFileSync(p.privateKey, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new Error(`cannot read ${p.privateKey}: ${(e as Error).message}`);
    const made = generateSigningKeys().privateKey;
    try {
      // "wx": if two processes race at first start, exactly one writes; the other reads.
      fs.writeFileSync(p.privateKey, made, { mode: 0o600, flag: "wx" });
      privateKey = made;
    } catch (w) {
      if ((w as NodeJS.ErrnoException).code !== "EEXIST") throw new Error(`cannot write ${p.privateKey}: ${(w as Error).message}`);
      privateKey = fs.readFileSync(p.privateKey, "utf8");
    }
  }
  let publicKey: string;
  try {
    publicKey = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  } catch {
    throw new Error(`${p.privateKey} is not a private key: delete it (and restart) to have a new key pair made`);
  }
  // Always the one that matches the private key (a stale file from an older pair is replaced).
  if (readOrEmpty(p.publicKey) !== publicKey) {
    const tmp = `${p.publicKey}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, publicKey, { mode: 0o644 });
    fs.renameSync(tmp, p.publicKey);
  }
  return { privateKey, publicKey };
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

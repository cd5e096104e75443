import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The HMAC secret shared by app and runner: RUNNER_SECRET, or a random one generated once into
 * DATA_DIR (whichever process starts first writes it; the other reads the same file).
 */
export const SECRET_FILE_NAME = "secret";

let cached: string | undefined;

export function platformSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (cached) return cached;
  const fromEnv = env.RUNNER_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 16) throw new Error("RUNNER_SECRET must be at least 16 characters: set a longer random value or unset it to generate one.");
    return (cached = fromEnv);
  }
  const file = path.resolve(env.DATA_DIR || ".data", SECRET_FILE_NAME);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const value = fs.readFileSync(file, "utf8").trim();
  if (value.length < 16) throw new Error(`${file} holds a secret shorter than 16 characters: delete it to generate a new one.`);
  return (cached = value);
}

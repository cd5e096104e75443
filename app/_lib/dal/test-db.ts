import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createDb, type Db } from "../db";

/**
 * For integration tests: a fresh SQLite file in a temp dir, migrated by `prisma migrate deploy` with
 * the repository's migrations (what the start script runs), opened through the real Prisma client.
 */
export function migratedDb(tmpPrefix: string): { dir: string; db: Db } {
  const root = path.resolve(__dirname, "../../..");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), tmpPrefix));
  const file = path.join(dir, "app.db");
  const stub = path.join(root, "package.json");
  const r = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    encoding: "utf8",
    env: {
      ...process.env,
      DATABASE_URL: `file:${file}`,
      PRISMA_QUERY_ENGINE_LIBRARY: stub,
      PRISMA_SCHEMA_ENGINE_BINARY: stub,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (r.status !== 0) throw new Error(`prisma migrate deploy failed:\n${r.stdout}\n${r.stderr}`);
  return { dir, db: createDb(file) };
}

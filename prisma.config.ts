import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { databaseFile } from "./app/_lib/database-url";
import { createPrivateFile } from "./sandbox-runner/src/config/data-dir";

// Prisma 6.19 in "js engine" mode: migrations run through the WebAssembly schema engine and the
// better-sqlite3 driver adapter, so no native engine has to be downloaded (see prisma/README.md).
export default defineConfig({
  experimental: { adapter: true },
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  engine: "js",
  async adapter() {
    const file = databaseFile();
    // Private before SQLite creates it 0644: sessions and password hashes live there.
    createPrivateFile(file);
    return new PrismaBetterSQLite3({ url: file });
  },
});

import { createPrivateFile } from "@runner/config/data-dir";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/_generated/prisma/client";
import { databaseFile } from "./database-url";

export type Db = PrismaClient;

/** A Prisma client on the SQLite file `file` through the better-sqlite3 driver adapter (no Rust engine). */
export function createDb(file: string = databaseFile()): Db {
  // 0600 before SQLite opens it (SQLite would make it 0644; its journals take the file's mode).
  createPrivateFile(file);
  return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file }) });
}

// One client per server process; kept on globalThis so dev-mode hot reloads do not open new handles.
const holder = globalThis as unknown as { __courseDb?: Db };

/** The process's client. Only the data-access layer (app/_lib/dal) calls this. */
export function db(): Db {
  holder.__courseDb ??= createDb();
  return holder.__courseDb;
}

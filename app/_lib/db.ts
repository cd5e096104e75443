import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "@/_generated/prisma/client";
import { databaseFile } from "./database-url";

export type Db = PrismaClient;

/**
 * Creates an empty `file` as 0600 when it does not exist, so that SQLite (which creates its
 * database with the process's umask, 0644) opens a private file and gives its journals that mode.
 * Best effort: on a read-only disk the driver reports the real problem itself.
 */
function createPrivateFile(file: string): void {
  if (fs.existsSync(file)) return;
  try {
    fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ file), { recursive: true });
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, 0o600));
  } catch {
    /* exists now, or cannot be made: SQLite says which */
  }
}

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

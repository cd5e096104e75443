/**
 * Whether a database error means "the storage is unavailable right now" (busy, locked, read-only,
 * full, I/O) rather than "this record is wrong". Only the first kind is kept in the outbox and
 * retried. Prisma wraps SQLite's code in `meta.driverAdapterError.cause.originalCode` (driver
 * adapters) and reports a busy timeout as P1008; better-sqlite3 puts it in `code`. Pure.
 */
const STORAGE_CODES = /SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PROTOCOL)/;
const PRISMA_UNAVAILABLE = new Set(["P1001", "P1008", "P1017", "P2024", "P2034"]);

export function isStorageUnavailable(e: unknown): boolean {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; depth++) {
    const o = cur as { code?: unknown; meta?: unknown; message?: unknown; cause?: unknown };
    if (typeof o.code === "string" && (STORAGE_CODES.test(o.code) || PRISMA_UNAVAILABLE.has(o.code))) return true;
    if (o.meta && STORAGE_CODES.test(safeJson(o.meta))) return true;
    if (
      typeof o.message === "string" &&
      /database is locked|readonly database|database or disk is full|disk I\/O error|unable to open database/i.test(o.message)
    )
      return true;
    cur = o.cause;
  }
  return false;
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return "";
  }
}

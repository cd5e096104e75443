import { describe, expect, it } from "vitest";
import { isStorageUnavailable } from "./storage-errors";

describe("isStorageUnavailable", () => {
  it("recognises a busy, read-only or full SQLite database in the shapes Prisma and better-sqlite3 give", () => {
    // As observed from Prisma 6.19 with the better-sqlite3 adapter when another connection holds BEGIN EXCLUSIVE.
    expect(
      isStorageUnavailable({
        code: "P1008",
        meta: { driverAdapterError: { cause: { originalCode: "SQLITE_BUSY", kind: "SocketTimeout" } } },
      }),
    ).toBe(true);
    expect(isStorageUnavailable({ code: "SQLITE_READONLY" })).toBe(true);
    expect(isStorageUnavailable(new Error("database or disk is full"))).toBe(true);
    expect(isStorageUnavailable({ message: "x", cause: { code: "SQLITE_IOERR_WRITE" } })).toBe(true);
  });
  it("does not keep records that are wrong in themselves", () => {
    expect(isStorageUnavailable({ code: "P2002", meta: { target: ["id"] } })).toBe(false);
    expect(isStorageUnavailable(new TypeError('lessonId "../x" is not a valid id'))).toBe(false);
    expect(isStorageUnavailable(null)).toBe(false);
  });
});

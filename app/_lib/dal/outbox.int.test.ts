import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db";
import { Outbox, OutboxFullError } from "./outbox";
import { flushAttempts, recordAttemptDurably, type KeptAttempt } from "./outbox-attempts";
import { migratedDb } from "./test-db";

/**
 * Faults of the database under real SQLite files: another connection holding an exclusive lock,
 * a database on a read-only mount, a data disk that is full (a 1 MiB tmpfs). Attempts are kept in
 * the outbox and land exactly once when the database is back; a full disk gives a clear error and
 * leaves the database intact.
 */
const cleanups: (() => void)[] = [];
afterAll(() => {
  for (const c of cleanups.reverse()) {
    try {
      c();
    } catch {
      // best effort
    }
  }
});

const attempt = (n: number, message = `try ${n}`) => ({
  lessonId: "01-o-que-e-docker",
  exerciseId: "kernel-do-host",
  passed: n % 2 === 0,
  message,
  durationMs: 10 + n,
  trigger: "manual" as const,
});
const USER = "g_outbox00001";

function fresh(prefix: string): { dir: string; file: string; db: Db } {
  const { dir, db } = migratedDb(prefix);
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => void db.$disconnect());
  return { dir, file: path.join(dir, "app.db"), db };
}

function rowsOf(file: string): { id: string; message: string }[] {
  const c = new Database(file, { readonly: true });
  try {
    return c.prepare("SELECT id, message FROM ExerciseAttempt WHERE userId = ? ORDER BY createdAt").all(USER) as {
      id: string;
      message: string;
    }[];
  } finally {
    c.close();
  }
}

const root = process.getuid?.() === 0;

describe("attempts survive database faults", () => {
  it("a locked database: attempts are kept, then land exactly once after the lock is released", async () => {
    const { dir, file, db } = fresh("outbox-lock-");
    const outbox = new Outbox<KeptAttempt>(path.join(dir, "outbox"), "attempts");
    await recordAttemptDurably(db, outbox, USER, attempt(0)); // the user's row exists before the outage
    const other = new Database(file);
    other.exec("BEGIN EXCLUSIVE");
    const during = await Promise.all([1, 2, 3].map((n) => recordAttemptDurably(db, outbox, USER, attempt(n))));
    expect(during.map((d) => d.saved)).toEqual(["kept", "kept", "kept"]);
    expect(outbox.size()).toBe(3);
    // Still locked: a flush keeps them all.
    expect(await flushAttempts(db, outbox)).toMatchObject({ written: 0, left: 3 });
    other.exec("COMMIT");
    other.close();

    // A crash after writing but before the outbox was trimmed: the same record is flushed twice.
    const first = outbox.pending()[0]!;
    const r = await flushAttempts(db, outbox);
    expect(r).toMatchObject({ written: 3, left: 0 });
    outbox.keep(first);
    expect(await flushAttempts(db, outbox)).toMatchObject({ written: 1, left: 0 });

    const rows = rowsOf(file);
    expect(rows.map((x) => x.message).sort()).toEqual(["try 0", "try 1", "try 2", "try 3"]);
    expect(new Set(rows.map((x) => x.id)).size).toBe(4);
    expect(rows.map((x) => x.id)).toEqual(expect.arrayContaining(during.map((d) => d.id)));
    expect(fs.readdirSync(path.join(dir, "outbox"))).toEqual([]);
  });

  it.skipIf(!root)("a read-only database: kept, and written by the next process once it is writable", async () => {
    const { dir, file, db: rw } = fresh("outbox-ro-");
    await recordAttemptDurably(rw, new Outbox<KeptAttempt>(path.join(dir, "outbox"), "attempts"), USER, attempt(0));
    await rw.$disconnect();
    // The same folder seen through a read-only bind mount, as a server whose data disk went read-only.
    const ro = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-romnt-"));
    execFileSync("mount", ["--bind", dir, ro]);
    cleanups.push(() => fs.rmdirSync(ro));
    cleanups.push(() => execFileSync("umount", [ro]));
    execFileSync("mount", ["-o", "remount,bind,ro", ro]);
    const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-keep-"));
    cleanups.push(() => fs.rmSync(outboxDir, { recursive: true, force: true }));
    const outbox = new Outbox<KeptAttempt>(outboxDir, "attempts");
    const roDb = createDb(path.join(ro, "app.db"));
    cleanups.push(() => void roDb.$disconnect());
    const kept = await recordAttemptDurably(roDb, outbox, USER, attempt(1));
    expect(kept.saved).toBe("kept");
    expect(await flushAttempts(roDb, outbox)).toMatchObject({ written: 0, left: 1 });
    await roDb.$disconnect();

    // "Restart" with the writable path: the kept attempt lands, once.
    const again = createDb(file);
    cleanups.push(() => void again.$disconnect());
    expect(await flushAttempts(again, new Outbox<KeptAttempt>(outboxDir, "attempts"))).toMatchObject({ written: 1, left: 0 });
    expect(rowsOf(file).map((x) => x.message)).toEqual(["try 0", "try 1"]);
  });

  it.skipIf(!root)("a full data disk: a clear error, nothing half-written, the database intact", async () => {
    const { file: seed, db: seedDb } = fresh("outbox-full-seed-");
    await seedDb.$disconnect();
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), "outbox-tmpfs-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt]);
    cleanups.push(() => fs.rmdirSync(mnt));
    cleanups.push(() => execFileSync("umount", ["-l", mnt]));
    const file = path.join(mnt, "app.db");
    fs.copyFileSync(seed, file);
    const db = createDb(file);
    cleanups.push(() => void db.$disconnect());
    const outbox = new Outbox<KeptAttempt>(path.join(mnt, "outbox"), "attempts");
    expect((await recordAttemptDurably(db, outbox, USER, attempt(0))).saved).toBe("db");

    // Fill the disk.
    const filler = path.join(mnt, "filler");
    try {
      fs.writeFileSync(filler, Buffer.alloc(2 * 1024 * 1024));
    } catch (e) {
      expect((e as NodeJS.ErrnoException).code).toBe("ENOSPC");
    }
    const saved: string[] = [];
    let error: unknown;
    for (let n = 1; n < 50 && !error; n++) {
      try {
        const r = await recordAttemptDurably(db, outbox, USER, attempt(n, `try ${n} ${"x".repeat(3000)}`));
        saved.push(`${r.saved}:${n}`);
      } catch (e) {
        error = e;
      }
    }
    expect(error).toBeInstanceOf(OutboxFullError);
    expect((error as Error).message).toMatch(/disk is probably full/);
    await db.$disconnect();

    const check = new Database(file, { readonly: true });
    expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
    check.close();
    // Free space: whatever was reported saved or kept is there, exactly once.
    fs.rmSync(filler, { force: true });
    const after = createDb(file);
    cleanups.push(() => void after.$disconnect());
    await flushAttempts(after, outbox);
    const messages = rowsOf(file).map((x) => x.message.split(" ").slice(0, 2).join(" "));
    expect(messages).toEqual(["try 0", ...saved.map((s) => `try ${s.split(":")[1]}`)]);
  });
});

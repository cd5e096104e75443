import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createPrivateFile, databaseFiles, permissionChanges, secureDataDir, type PathState } from "./data-dir";

const GID = 100000;
const dir = (mode: number, gid = 0): PathState => ({ path: "/d", kind: "data-dir", mode: 0o40000 | mode, gid });
const file = (mode: number): PathState => ({ path: "/d/app.db", kind: "private-file", mode: 0o100000 | mode, gid: 0 });
const mode = (p: string) => fs.statSync(p).mode & 0o7777;

describe("permissionChanges", () => {
  it("as root: DATA_DIR becomes exactly 0710 with the sandboxes' group, whatever it was", () => {
    expect(permissionChanges([dir(0o755)], { sandboxGid: GID, asRoot: true })).toEqual([{ path: "/d", from: 0o755, to: 0o710, gid: GID }]);
    expect(permissionChanges([dir(0o700)], { sandboxGid: GID, asRoot: true })).toEqual([{ path: "/d", from: 0o700, to: 0o710, gid: GID }]);
    expect(permissionChanges([dir(0o2775, GID)], { sandboxGid: GID, asRoot: true })).toEqual([{ path: "/d", from: 0o2775, to: 0o710 }]);
    expect(permissionChanges([dir(0o710, GID)], { sandboxGid: GID, asRoot: true })).toEqual([]);
  });
  it("not root: only takes bits away (0700, or 0710 when the group is already the sandboxes')", () => {
    expect(permissionChanges([dir(0o755)], { sandboxGid: GID, asRoot: false })).toEqual([{ path: "/d", from: 0o755, to: 0o700 }]);
    expect(permissionChanges([dir(0o710, GID)], { sandboxGid: GID, asRoot: false })).toEqual([]);
    expect(permissionChanges([dir(0o700)], { sandboxGid: GID, asRoot: false })).toEqual([]);
  });
  it("files only their owner may read and write", () => {
    expect(permissionChanges([file(0o644)], { sandboxGid: GID, asRoot: true })).toEqual([{ path: "/d/app.db", from: 0o644, to: 0o600 }]);
    expect(permissionChanges([file(0o755)], { sandboxGid: GID, asRoot: true })).toEqual([{ path: "/d/app.db", from: 0o755, to: 0o600 }]);
    expect(permissionChanges([file(0o600)], { sandboxGid: GID, asRoot: true })).toEqual([]);
    expect(permissionChanges([file(0o400)], { sandboxGid: GID, asRoot: true })).toEqual([]);
  });
});

describe("secureDataDir", () => {
  it("tightens a DATA_DIR, its database files and its secret left loose by an earlier version, once", () => {
    const d = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "datadir-")), "data");
    fs.mkdirSync(d, { mode: 0o755 });
    fs.chmodSync(d, 0o755);
    const db = path.join(d, "app.db");
    for (const f of [path.join(d, "secret"), ...databaseFiles(db)]) {
      fs.writeFileSync(f, "x");
      fs.chmodSync(f, 0o644);
    }
    const lines = secureDataDir({ dataDir: d, databaseFile: db, sandboxGid: GID });
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/tightened .*data from 0755 to 0710/);
    expect(mode(d)).toBe(process.geteuid?.() === 0 ? 0o710 : 0o700);
    if (process.geteuid?.() === 0) expect(fs.statSync(d).gid).toBe(GID);
    for (const f of [path.join(d, "secret"), ...databaseFiles(db)]) expect(mode(f)).toBe(0o600);
    expect(secureDataDir({ dataDir: d, databaseFile: db, sandboxGid: GID })).toEqual([]);
  });

  it("creates a missing DATA_DIR private, its parents as usual", () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), "datadir-"));
    const d = path.join(base, "parent", "data");
    secureDataDir({ dataDir: d, databaseFile: path.join(d, "app.db"), sandboxGid: GID });
    expect(mode(path.join(base, "parent")) & 0o005).toBe(0o005); // not locked: sandboxes pass through it
    expect(mode(d) & 0o077).toBe(process.geteuid?.() === 0 ? 0o010 : 0);
  });
});

describe("createPrivateFile", () => {
  it("makes the database 0600 before SQLite opens it, and SQLite's journals follow that mode", () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "datadir-")), "app.db");
    createPrivateFile(db);
    const sqlite = new Database(db);
    sqlite.exec("CREATE TABLE t (x TEXT)");
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("INSERT INTO t VALUES ('secret hash')");
    const present = databaseFiles(db).filter((f) => fs.existsSync(f));
    expect(present).toEqual([db, `${db}-wal`, `${db}-shm`]);
    for (const f of present) expect(mode(f)).toBe(0o600);
    sqlite.close();
    createPrivateFile(db); // an existing file is left alone
    expect(fs.statSync(db).size).toBeGreaterThan(0);
  });
});

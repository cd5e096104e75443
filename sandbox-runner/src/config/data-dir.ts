import fs from "node:fs";
import path from "node:path";

/**
 * DATA_DIR holds the database (sessions, password hashes), the token secret, the recordings and
 * the runner's sandboxes: nobody but root may list or read it. It cannot be 0700, though: runc
 * mounts each sandbox's rootfs (under DATA_DIR/runner/sandboxes) from inside the sandbox's user
 * namespace, as the host uid/gid its root maps to (SANDBOX_UID_BASE), and root there has no
 * capability over a host-root-owned dir. So DATA_DIR is 0710 root:<SANDBOX_UID_BASE> (the way
 * Docker's userns-remap root is 0710 root:<remapped root>): search only, for that one group, and
 * nothing at all for any other host user. The database files and the secret are 0600 wherever
 * they are (SQLite gives its -journal/-wal/-shm the database file's mode).
 */
export const DATA_DIR_MODE = 0o710;
export const PRIVATE_FILE_MODE = 0o600;

export interface PathState {
  path: string;
  /** DATA_DIR itself, or a file only its owner may read. */
  kind: "data-dir" | "private-file";
  mode: number;
  gid: number;
}

export interface PermissionChange {
  path: string;
  from: number;
  to: number;
  /** The group to set (DATA_DIR, as root), when it is not that already. */
  gid?: number;
}

const octal = (m: number) => "0" + (m & 0o7777).toString(8).padStart(3, "0");

export function describeChange(c: PermissionChange): string {
  const group = c.gid !== undefined ? ` (group ${c.gid}, the sandboxes' root)` : "";
  return `tightened ${c.path} from ${octal(c.from)} to ${octal(c.to)}${group}`;
}

/**
 * What to change so that every path is as tight as it must be. Root gives DATA_DIR exactly 0710
 * with the sandboxes' group; a non-root process (the app run by hand) can only take bits away:
 * it never loosens what the runner set.
 */
export function permissionChanges(states: PathState[], o: { sandboxGid: number; asRoot: boolean }): PermissionChange[] {
  const out: PermissionChange[] = [];
  for (const s of states) {
    const mode = s.mode & 0o7777;
    if (s.kind === "private-file") {
      const to = mode & PRIVATE_FILE_MODE;
      if (to !== mode) out.push({ path: s.path, from: mode, to });
      continue;
    }
    if (o.asRoot) {
      const gid = s.gid === o.sandboxGid ? undefined : o.sandboxGid;
      if (mode !== DATA_DIR_MODE || gid !== undefined)
        out.push({ path: s.path, from: mode, to: DATA_DIR_MODE, ...(gid !== undefined ? { gid } : {}) });
    } else {
      const to = mode & (s.gid === o.sandboxGid ? DATA_DIR_MODE : 0o700);
      if (to !== mode) out.push({ path: s.path, from: mode, to });
    }
  }
  return out;
}

/** Creates `dir` (its parents with the usual modes: a 0700 parent would lock the sandboxes out) as 0700. */
export function makePrivateDir(dir: string): void {
  // The comments keep Next's file tracer (the app imports this) from copying the data folder.
  fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ dir), { recursive: true });
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
}

/**
 * Creates an empty `file` as 0600 when it does not exist, so that SQLite (which creates its
 * database with the process's umask, 0644) opens a private file and gives its journals that mode.
 * Best effort: on a read-only disk the driver reports the real problem itself.
 */
export function createPrivateFile(file: string): void {
  if (fs.existsSync(file)) return;
  try {
    fs.mkdirSync(path.dirname(/*turbopackIgnore: true*/ file), { recursive: true });
    fs.closeSync(fs.openSync(file, fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_WRONLY, PRIVATE_FILE_MODE));
  } catch {
    /* exists now, or cannot be made: SQLite says which */
  }
}

/** The database file and the journals SQLite makes beside it. */
export function databaseFiles(dbFile: string): string[] {
  return [dbFile, `${dbFile}-journal`, `${dbFile}-wal`, `${dbFile}-shm`];
}

/**
 * Makes DATA_DIR 0710 (0700 for a non-root process) and the database files and the secret 0600,
 * tightening what an earlier version left looser; returns one line per change for the log.
 */
/** `databaseFile`: the app's database (the runner, which does not know it, tightens the default one). */
export function secureDataDir(o: { dataDir: string; databaseFile?: string; sandboxGid: number }): string[] {
  makePrivateDir(o.dataDir);
  const states: PathState[] = [];
  const st = fs.statSync(o.dataDir);
  states.push({ path: o.dataDir, kind: "data-dir", mode: st.mode, gid: st.gid });
  for (const f of [
    path.join(o.dataDir, "secret"),
    path.join(o.dataDir, "keys", "app-signing.key"),
    ...databaseFiles(o.databaseFile ?? path.join(o.dataDir, "app.db")),
  ]) {
    const s = fs.lstatSync(f, { throwIfNoEntry: false });
    if (s?.isFile()) states.push({ path: f, kind: "private-file", mode: s.mode, gid: s.gid });
  }
  const changes = permissionChanges(states, { sandboxGid: o.sandboxGid, asRoot: process.geteuid?.() === 0 });
  for (const c of changes) {
    if (c.gid !== undefined) fs.chownSync(c.path, st.uid, c.gid);
    fs.chmodSync(c.path, c.to);
  }
  return changes.map(describeChange);
}

/** The database file a `file:` URL names (the configuration checked the scheme). */
export function databaseFileOf(databaseUrl: string): string {
  return path.resolve(databaseUrl.replace(/^file:/, ""));
}

/**
 * Just enough of the tar format to rewrite a Layer's entries on their way to GNU tar: read ustar,
 * GNU (long names) and pax headers; write POSIX pax + ustar. Pure: bytes in, values out.
 * Spec: POSIX.1-2001 pax (IEEE Std 1003.1, "pax"), GNU tar manual "Standard" appendix.
 */

export const BLOCK = 512;

export type EntryType = "file" | "hardlink" | "symlink" | "char" | "block" | "dir" | "fifo";

const TYPE_FLAGS: Record<string, EntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "hardlink",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
};
const FLAG_OF: Record<EntryType, string> = { file: "0", hardlink: "1", symlink: "2", char: "3", block: "4", dir: "5", fifo: "6" };

/** One archive member after its meta headers (pax "x", GNU "L"/"K") have been folded in. */
export interface TarEntry {
  path: string;
  linkpath: string;
  type: EntryType;
  mode: number; // permission bits incl. setuid/setgid/sticky
  uid: number;
  gid: number;
  size: number;
  mtime: number; // whole seconds (a finer pax mtime stays in `pax`)
  devmajor: number;
  devminor: number;
  /** pax records other than the ones mirrored in the fields above (e.g. SCHILY.xattr.*, mtime). */
  pax: Record<string, string>;
}

/** The kind of a raw 512-byte header, before meta headers are folded in. */
export type RawKind = EntryType | "pax" | "paxGlobal" | "gnuLongName" | "gnuLongLink" | "unsupported";

export interface RawHeader {
  kind: RawKind;
  flag: string;
  name: string;
  linkname: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  devmajor: number;
  devminor: number;
}

function cstring(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul === -1 ? len : nul).toString("utf8");
}

/** Numeric fields are octal text, or big-endian base-256 when the first byte's high bit is set (GNU). */
export function readNumber(buf: Buffer, start: number, len: number): number {
  const first = buf[start]!;
  if (first & 0x80) {
    let v = first & 0x7f;
    for (let i = 1; i < len; i++) v = v * 256 + buf[start + i]!;
    return v;
  }
  const text = cstring(buf, start, len).trim();
  return text === "" ? 0 : parseInt(text, 8);
}

/** Octal when it fits in len-1 digits, base-256 otherwise (GNU tar reads both). */
export function writeNumber(buf: Buffer, start: number, len: number, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`tar: cannot encode ${value}`);
  const octal = value.toString(8);
  if (octal.length <= len - 1) {
    buf.write(octal.padStart(len - 1, "0") + "\0", start, len, "ascii");
    return;
  }
  buf.fill(0, start, start + len);
  let v = value;
  for (let i = len - 1; i >= 1; i--) {
    buf[start + i] = v % 256;
    v = Math.floor(v / 256);
  }
  buf[start] = 0x80;
}

export function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

export function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : block[i]!;
  return sum;
}

export function parseHeader(block: Buffer): RawHeader {
  if (block.length !== BLOCK) throw new Error("tar: a header is 512 bytes");
  const stored = readNumber(block, 148, 8);
  if (stored !== checksum(block)) throw new Error("tar: header checksum mismatch (not a tar archive, or a corrupt one)");
  const flag = String.fromCharCode(block[156]!);
  const magic = block.subarray(257, 263).toString("latin1");
  let name = cstring(block, 0, 100);
  // POSIX ustar splits long names into prefix + name; GNU format uses those bytes for atime/ctime.
  if (magic === "ustar\0") {
    const prefix = cstring(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const kind: RawKind =
    TYPE_FLAGS[flag] ??
    (flag === "x" ? "pax" : flag === "g" ? "paxGlobal" : flag === "L" ? "gnuLongName" : flag === "K" ? "gnuLongLink" : "unsupported");
  return {
    kind,
    flag,
    name,
    linkname: cstring(block, 157, 100),
    mode: readNumber(block, 100, 8) & 0o7777,
    uid: readNumber(block, 108, 8),
    gid: readNumber(block, 116, 8),
    size: readNumber(block, 124, 12),
    mtime: readNumber(block, 136, 12),
    devmajor: readNumber(block, 329, 8),
    devminor: readNumber(block, 337, 8),
  };
}

/** Parses pax extended header data: records "<len> <key>=<value>\n". */
export function parsePax(data: Buffer): Record<string, string> {
  // No prototype: a layer tar is untrusted input and a key such as "__proto__" must stay a plain key.
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let pos = 0;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space === -1) break;
    const len = parseInt(data.subarray(pos, space).toString("ascii"), 10);
    if (!Number.isFinite(len) || len <= 0) throw new Error("tar: malformed pax record length");
    const record = data.subarray(space + 1, pos + len - 1); // without the trailing newline
    const eq = record.indexOf(0x3d);
    if (eq === -1) throw new Error("tar: malformed pax record");
    // Keys are UTF-8 text; values may be binary (xattrs): keep them byte-exact as latin1.
    out[record.subarray(0, eq).toString("utf8")] = record.subarray(eq + 1).toString("latin1");
    pos += len;
  }
  return out;
}

export function encodePaxRecord(key: string, value: string): Buffer {
  const body = Buffer.concat([Buffer.from(` ${key}=`, "utf8"), Buffer.from(value, "latin1"), Buffer.from("\n")]);
  // The length prefix counts its own digits: grow until stable.
  let len = body.length + 1;
  while (String(len).length + body.length !== len) len = String(len).length + body.length;
  return Buffer.concat([Buffer.from(String(len), "ascii"), body]);
}

export function encodePax(records: Record<string, string>): Buffer {
  return Buffer.concat(
    Object.keys(records)
      .sort()
      .map((k) => encodePaxRecord(k, records[k]!)),
  );
}

/** Folds meta headers (pax "x" records, GNU long names) into the entry they describe. */
export function resolveEntry(h: RawHeader, meta: { pax: Record<string, string>; longName?: string; longLink?: string }): TarEntry {
  if (h.kind === "pax" || h.kind === "paxGlobal" || h.kind === "gnuLongName" || h.kind === "gnuLongLink" || h.kind === "unsupported") {
    throw new Error(`tar: entry type '${h.flag}' (${h.name}) is not supported in a Layer`);
  }
  const pax = { ...meta.pax };
  const take = (k: string): string | undefined => {
    const v = pax[k];
    delete pax[k];
    return v;
  };
  const utf8 = (v: string | undefined) => (v === undefined ? undefined : Buffer.from(v, "latin1").toString("utf8"));
  const path = utf8(take("path")) ?? meta.longName ?? h.name;
  const linkpath = utf8(take("linkpath")) ?? meta.longLink ?? h.linkname;
  const uid = take("uid");
  const gid = take("gid");
  const size = take("size");
  take("uname");
  take("gname");
  return {
    path,
    linkpath,
    type: h.kind,
    mode: h.mode,
    uid: uid !== undefined ? Number(uid) : h.uid,
    gid: gid !== undefined ? Number(gid) : h.gid,
    size: size !== undefined ? Number(size) : h.size,
    mtime: h.mtime,
    devmajor: h.devmajor,
    devminor: h.devminor,
    pax,
  };
}

function padTo512(buf: Buffer): Buffer {
  const rest = buf.length % BLOCK;
  return rest === 0 ? buf : Buffer.concat([buf, Buffer.alloc(BLOCK - rest)]);
}

function fitsField(text: string, len: number): boolean {
  return Buffer.byteLength(text, "utf8") <= len;
}

/**
 * Serializes an entry's headers: a pax "x" header when anything does not fit the ustar fields
 * (or the entry carries pax records such as xattrs), then a POSIX ustar header. The entry's data
 * (entry.size bytes, padded to 512) must follow in the output.
 */
export function encodeEntryHeaders(e: TarEntry): Buffer {
  const pax: Record<string, string> = { ...e.pax };
  const MAX_OCTAL_8 = 0o7777777;
  if (!fitsField(e.path, 100)) pax.path = Buffer.from(e.path, "utf8").toString("latin1");
  if (!fitsField(e.linkpath, 100)) pax.linkpath = Buffer.from(e.linkpath, "utf8").toString("latin1");
  if (e.uid > MAX_OCTAL_8) pax.uid = String(e.uid);
  if (e.gid > MAX_OCTAL_8) pax.gid = String(e.gid);
  if (e.size > 0o77777777777) pax.size = String(e.size);

  const header = Buffer.alloc(BLOCK);
  header.write(fitsField(e.path, 100) ? e.path : e.path.slice(0, 90), 0, 100, "utf8");
  writeNumber(header, 100, 8, e.mode & 0o7777);
  writeNumber(header, 108, 8, Math.min(e.uid, MAX_OCTAL_8));
  writeNumber(header, 116, 8, Math.min(e.gid, MAX_OCTAL_8));
  writeNumber(header, 124, 12, Math.min(e.size, 0o77777777777));
  writeNumber(header, 136, 12, e.mtime);
  header.write(FLAG_OF[e.type], 156, 1, "ascii");
  header.write(fitsField(e.linkpath, 100) ? e.linkpath : e.linkpath.slice(0, 90), 157, 100, "utf8");
  header.write("ustar\0", 257, 6, "latin1");
  header.write("00", 263, 2, "ascii");
  writeNumber(header, 329, 8, e.devmajor);
  writeNumber(header, 337, 8, e.devminor);
  header.write(checksum(header).toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");

  if (Object.keys(pax).length === 0) return header;
  const paxData = encodePax(pax);
  const paxHeader = Buffer.alloc(BLOCK);
  paxHeader.write("PaxHeaders/entry", 0, 100, "ascii");
  writeNumber(paxHeader, 100, 8, 0o644);
  writeNumber(paxHeader, 108, 8, 0);
  writeNumber(paxHeader, 116, 8, 0);
  writeNumber(paxHeader, 124, 12, paxData.length);
  writeNumber(paxHeader, 136, 12, e.mtime);
  paxHeader.write("x", 156, 1, "ascii");
  paxHeader.write("ustar\0", 257, 6, "latin1");
  paxHeader.write("00", 263, 2, "ascii");
  paxHeader.write(checksum(paxHeader).toString(8).padStart(6, "0") + "\0 ", 148, 8, "ascii");
  return Buffer.concat([paxHeader, padTo512(paxData), header]);
}

/** Reads a whole (small) archive into entries with their data: for tests and tools, not Layers. */
export function readTarEntries(archive: Buffer): { entry: TarEntry; data: Buffer }[] {
  const out: { entry: TarEntry; data: Buffer }[] = [];
  let meta: { pax: Record<string, string>; longName?: string; longLink?: string } = { pax: {} };
  let pos = 0;
  while (pos + BLOCK <= archive.length) {
    const block = archive.subarray(pos, pos + BLOCK);
    if (isZeroBlock(block)) break;
    const h = parseHeader(block);
    const data = archive.subarray(pos + BLOCK, pos + BLOCK + h.size);
    pos += BLOCK + Math.ceil(h.size / BLOCK) * BLOCK;
    if (h.kind === "pax") Object.assign(meta.pax, parsePax(data));
    else if (h.kind === "gnuLongName") meta.longName = data.toString("utf8").replace(/\0+$/, "");
    else if (h.kind === "gnuLongLink") meta.longLink = data.toString("utf8").replace(/\0+$/, "");
    else if (h.kind !== "paxGlobal") {
      const entry = resolveEntry(h, meta);
      out.push({ entry, data: Buffer.from(entry.type === "file" ? data : Buffer.alloc(0)) });
      meta = { pax: {} };
    }
  }
  return out;
}

/** Writes entries (with their data) as a pax archive: for tests and small Layers. */
export function writeTar(entries: { entry: TarEntry; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  for (const { entry, data } of entries) {
    const body = data ?? Buffer.alloc(0);
    parts.push(encodeEntryHeaders({ ...entry, size: body.length }), padTo512(body));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

import { Transform, type TransformCallback } from "node:stream";
import { BLOCK, encodeEntryHeaders, isZeroBlock, parseHeader, parsePax, resolveEntry, type RawHeader, type TarEntry } from "./tar-format";
import { classifyWhiteout, normalizePath, OPAQUE_XATTR_PAX_KEY } from "./whiteout";
import { shiftId, type IdRange } from "./idmap";

/**
 * Rewrites one entry's metadata for its Snapshot: ids shifted into the sandbox's range, OCI whiteouts
 * turned into overlayfs ones. Returns null to drop the entry. `dirs` remembers directory entries
 * seen so far, so an opaque marker can restate its directory's own mode and owner.
 */
export function snapshotEntry(e: TarEntry, ids: IdRange, dirs: Map<string, TarEntry>): TarEntry | null {
  const wh = classifyWhiteout(e.path);
  if (wh.kind === "ignore") return null;
  if (wh.kind === "opaque") {
    const known = dirs.get(normalizePath(wh.dir));
    const base: TarEntry = known ?? {
      path: wh.dir,
      linkpath: "",
      type: "dir",
      mode: 0o755,
      uid: ids.base,
      gid: ids.base,
      size: 0,
      mtime: e.mtime,
      devmajor: 0,
      devminor: 0,
      pax: {},
    };
    return { ...base, size: 0, pax: { ...base.pax, [OPAQUE_XATTR_PAX_KEY]: "y" } };
  }
  const shifted: TarEntry = { ...e, uid: shiftId(e.uid, ids, `uid of ${e.path}`), gid: shiftId(e.gid, ids, `gid of ${e.path}`) };
  if (wh.kind === "whiteout") {
    return { ...shifted, path: wh.target, type: "char", mode: 0, size: 0, devmajor: 0, devminor: 0, linkpath: "", pax: {} };
  }
  if (e.type === "dir") dirs.set(normalizePath(e.path), shifted);
  return shifted;
}

type State =
  | { phase: "header" }
  | { phase: "meta"; header: RawHeader; remaining: number; chunks: Buffer[] }
  | { phase: "data"; remaining: number; pass: boolean }
  | { phase: "end" };

/**
 * A streaming tar → tar rewrite: `mapEntry` turns every member into zero or more members (meta headers
 * folded in); a file's contents pass through untouched when the last member it maps to is that file.
 */
export class TarEntryTransform extends Transform {
  private buf: Buffer = Buffer.alloc(0);
  private state: State = { phase: "header" };
  private meta: { pax: Record<string, string>; longName?: string; longLink?: string } = { pax: {} };
  entries = 0;

  constructor(private readonly mapEntry: (e: TarEntry) => TarEntry[]) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    try {
      this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
      this.drain();
      cb();
    } catch (err) {
      cb(err as Error);
    }
  }

  override _flush(cb: TransformCallback): void {
    // Every tar writer ends with zero blocks: an archive without them was cut short.
    if (this.state.phase !== "end") return cb(new Error("tar: the Layer archive ends before its end marker (truncated blob?)"));
    cb();
  }

  private drain(): void {
    for (;;) {
      const s = this.state;
      if (s.phase === "end") {
        this.buf = Buffer.alloc(0); // padding after the end marker
        return;
      }
      if (s.phase === "data") {
        if (s.remaining === 0) {
          this.state = { phase: "header" };
          continue;
        }
        if (this.buf.length === 0) return;
        const n = Math.min(s.remaining, this.buf.length);
        if (s.pass) this.push(this.buf.subarray(0, n));
        this.buf = this.buf.subarray(n);
        s.remaining -= n;
        continue;
      }
      if (s.phase === "meta") {
        if (this.buf.length < s.remaining) return;
        const data = this.buf.subarray(0, s.remaining);
        this.buf = this.buf.subarray(s.remaining);
        this.foldMeta(s.header, data);
        this.state = { phase: "header" };
        continue;
      }
      if (this.buf.length < BLOCK) return;
      const block = this.buf.subarray(0, BLOCK);
      this.buf = this.buf.subarray(BLOCK);
      if (isZeroBlock(block)) {
        this.push(Buffer.alloc(BLOCK * 2));
        this.state = { phase: "end" };
        continue;
      }
      const h = parseHeader(Buffer.from(block));
      const padded = Math.ceil(h.size / BLOCK) * BLOCK;
      if (h.kind === "pax" || h.kind === "gnuLongName" || h.kind === "gnuLongLink" || h.kind === "paxGlobal") {
        this.state = { phase: "meta", header: h, remaining: padded, chunks: [] };
        continue;
      }
      const entry = resolveEntry(h, this.meta);
      this.meta = { pax: {} };
      const outs = this.mapEntry(entry);
      // Hard links, devices and dirs carry no data even if a header claims a size.
      const dataSize = entry.type === "file" ? entry.size : 0;
      for (const [i, out] of outs.entries()) {
        this.entries++;
        const last = i === outs.length - 1;
        this.push(encodeEntryHeaders({ ...out, size: last && out.type === "file" ? dataSize : 0 }));
      }
      this.state = {
        phase: "data",
        remaining: dataSize === 0 ? 0 : Math.ceil(dataSize / BLOCK) * BLOCK,
        pass: outs.at(-1)?.type === "file" && entry.type === "file",
      };
    }
  }

  private foldMeta(h: RawHeader, padded: Buffer): void {
    const data = padded.subarray(0, h.size);
    if (h.kind === "pax") Object.assign(this.meta.pax, parsePax(data));
    else if (h.kind === "gnuLongName") this.meta.longName = data.toString("utf8").replace(/\0+$/, "");
    else if (h.kind === "gnuLongLink") this.meta.longLink = data.toString("utf8").replace(/\0+$/, "");
    // Global pax headers ("g") set defaults no Layer writer we use emits; ignoring them is safer
    // than applying e.g. a global uid to every file.
  }
}

/**
 * Applies `snapshotEntry` to every member: GNU tar then extracts the result with ownership, modes,
 * devices and xattrs as given. `check` sees each member first and throws to refuse the archive
 * (a learner's saved layer, see sandbox/saved-layer.ts).
 */
export class SnapshotTransform extends TarEntryTransform {
  private readonly dirs: Map<string, TarEntry>;

  /** Directories the Layer names itself (normalized paths); tar creates the other parents on its own. */
  explicitDirs(): Set<string> {
    return new Set(this.dirs.keys());
  }

  constructor(ids: IdRange, check?: (e: TarEntry) => void) {
    const dirs = new Map<string, TarEntry>();
    super((e) => {
      check?.(e);
      const out = snapshotEntry(e, ids, dirs);
      return out ? [out] : [];
    });
    this.dirs = dirs;
  }
}

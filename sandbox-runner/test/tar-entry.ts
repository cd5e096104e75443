import type { TarEntry } from "../src/image/tar-format";

/** A tar entry for tests: a plain root-owned 0644 file unless `over` says otherwise. */
export function tarEntry(path: string, over: Partial<TarEntry> = {}): TarEntry {
  return { path, linkpath: "", type: "file", mode: 0o644, uid: 0, gid: 0, size: 0, mtime: 1, devmajor: 0, devminor: 0, pax: {}, ...over };
}

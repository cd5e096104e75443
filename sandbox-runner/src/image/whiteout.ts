/**
 * OCI Layer whiteouts → overlayfs whiteouts. In a Layer tar a deleted path "d/x" is an empty file
 * "d/.wh.x", and "d/.wh..wh..opq" marks "d" opaque (nothing below shows through). overlayfs wants a
 * 0:0 character device named "x", and the xattr trusted.overlay.opaque=y on "d".
 * (OCI image spec, layer.md "Whiteouts"; Linux Documentation/filesystems/overlayfs.rst.)
 */
export const WHITEOUT_PREFIX = ".wh.";
export const OPAQUE_MARKER = ".wh..wh..opq";
export const OPAQUE_XATTR_PAX_KEY = "SCHILY.xattr.trusted.overlay.opaque";

export type WhiteoutKind =
  | { kind: "none" }
  | { kind: "opaque"; dir: string } // make `dir` opaque
  | { kind: "whiteout"; target: string } // hide `target`
  | { kind: "ignore" }; // other ".wh..wh." AUFS metadata: not a file of the image

function split(path: string): { dir: string; base: string } {
  const trimmed = path.replace(/\/+$/, "");
  const i = trimmed.lastIndexOf("/");
  return i === -1 ? { dir: ".", base: trimmed } : { dir: trimmed.slice(0, i) || "/", base: trimmed.slice(i + 1) };
}

export function classifyWhiteout(path: string): WhiteoutKind {
  const { dir, base } = split(path);
  if (!base.startsWith(WHITEOUT_PREFIX)) return { kind: "none" };
  if (base === OPAQUE_MARKER) return { kind: "opaque", dir };
  if (base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) return { kind: "ignore" };
  const name = base.slice(WHITEOUT_PREFIX.length);
  if (name === "" || name === "." || name === "..") throw new Error(`Layer has an invalid whiteout "${path}"`);
  return { kind: "whiteout", target: dir === "." ? name : `${dir}/${name}` };
}

/** "./a/b/" and "a/b" name the same directory: compare paths in this form. */
export function normalizePath(path: string): string {
  const parts = path.split("/").filter((p) => p !== "" && p !== ".");
  return parts.length === 0 ? "." : parts.join("/");
}

/**
 * The origins a browser may post from: the app's own, as the request reached it (Host, or the
 * X-Forwarded-Host/Proto a reverse proxy sets). A form on another site sends its own Origin, which
 * is not in this list, so better-auth refuses it (CSRF). Pure.
 */
export function requestOrigins(headers: Pick<Headers, "get"> | undefined | null): string[] {
  if (!headers) return [];
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host");
  if (!host || !/^[a-zA-Z0-9.\-\[\]:]+$/.test(host)) return [];
  const proto = headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  const protos = proto === "https" || proto === "http" ? [proto] : ["http", "https"];
  return protos.map((p) => `${p}://${host}`);
}

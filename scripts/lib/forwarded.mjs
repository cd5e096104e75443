/**
 * Which address a request came from, for the app's per-address limits (sign-in, new sandboxes).
 * Pure. The socket's peer is the truth; `X-Forwarded-For` is only believed when that peer is one
 * of the operator's TRUSTED_PROXIES, and then walked from the right (each proxy appends the address
 * it saw), skipping the listed proxies: the first address that is not one of them is the client.
 * A client cannot choose its own address by sending the header itself.
 */

/** `::ffff:10.0.0.1` (IPv4 seen by an IPv6 socket) → `10.0.0.1`; trims brackets and spaces. */
export function normalizeAddress(a) {
  const s = String(a ?? "")
    .trim()
    .replace(/^\[(.*)\]$/, "$1")
    .toLowerCase();
  return s.startsWith("::ffff:") && s.includes(".") ? s.slice(7) : s;
}

/** TRUSTED_PROXIES: a comma-separated list of addresses (empty: no proxy is trusted). */
export function parseTrustedProxies(text) {
  return new Set(
    String(text ?? "")
      .split(",")
      .map(normalizeAddress)
      .filter(Boolean),
  );
}

export function clientAddress(peer, forwardedFor, trusted) {
  let client = normalizeAddress(peer);
  if (!trusted.has(client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : String(forwardedFor ?? ""))
    .split(",")
    .map(normalizeAddress)
    .filter(Boolean);
  while (hops.length) {
    client = hops.pop();
    if (!trusted.has(client)) return client;
  }
  return client;
}

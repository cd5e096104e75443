import { parseRunners, publicOrigins } from "../fleet/config";

/**
 * The browser-facing security headers, as pure functions so they are unit-tested and the proxy
 * (pages, per request: it knows the page's host) and next.config.ts (every route) agree.
 *
 * Why script-src keeps 'unsafe-inline': lesson pages are prerendered at build time, and Next's
 * inline bootstrap scripts can only carry a per-request nonce on dynamically rendered pages.
 * 'unsafe-eval' is left out in production (Next and React need it only in development).
 * style-src keeps 'unsafe-inline' because xterm.js and React write style attributes.
 */

export interface CspInput {
  /** The page's Host header (host[:port]); the terminal socket goes to the same host on RUNNER_PORT. */
  host: string | null;
  runnerPort: number;
  /** RUNNER_PUBLIC_URL when the runner is reached elsewhere (a proxy, TLS). */
  runnerPublicUrl?: string;
  /** The fleet's runners' browser origins (RUNNERS), beside the default one. */
  fleetOrigins?: string[];
  dev?: boolean;
}

/** The origins the browser may open the runner's WebSocket on. */
export function runnerSocketSources(i: CspInput): string[] {
  if (i.fleetOrigins?.length) return i.fleetOrigins;
  if (i.runnerPublicUrl) {
    const u = new URL(i.runnerPublicUrl);
    return [`${u.protocol}//${u.host}`];
  }
  // The same rule as runnerWsUrl() in ../runner.ts: the page's host without its port, on RUNNER_PORT.
  const host = hostName(i.host);
  return [`ws://${host}:${i.runnerPort}`, `wss://${host}:${i.runnerPort}`];
}

/** The host part of a Host header, or "localhost"; anything that is not a plain host name or address becomes "localhost". */
export function hostName(hostHeader: string | null): string {
  const h = (hostHeader ?? "").trim();
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(h);
  if (bracketed) return `[${bracketed[1]}]`;
  const plain = /^([a-zA-Z0-9.-]+)(?::\d+)?$/.exec(h);
  return plain ? plain[1]! : "localhost";
}

export function contentSecurityPolicy(i: CspInput): string {
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    // 'wasm-unsafe-eval' compiles WebAssembly only (asciinema-player's terminal emulator), not JS eval.
    "script-src": ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'", ...(i.dev ? ["'unsafe-eval'"] : [])],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'", ...runnerSocketSources(i), ...(i.dev ? ["ws:"] : [])],
    "media-src": ["'self'", "blob:"],
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([k, v]) => `${k} ${v.join(" ")}`)
    .join("; ");
}

/** Headers for every response (pages, API routes, assets). */
export const STATIC_SECURITY_HEADERS: ReadonlyArray<{ key: string; value: string }> = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  { key: "Cross-Origin-Resource-Policy", value: "same-origin" },
  // Only features Chromium knows: it logs an error on every page for an unknown one ("bluetooth"
  // was here; Chromium has no such policy-controlled feature).
  {
    key: "Permissions-Policy",
    value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=()",
  },
];

/** API routes answer JSON, CSV, event streams and recordings: nothing there may run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'";

/** The CSP for a page request, from the process environment (the runner's own defaults). */
export function pageCsp(host: string | null, env: NodeJS.ProcessEnv = process.env): string {
  const port = Number(env.RUNNER_PORT) || 3001;
  return contentSecurityPolicy({
    host,
    runnerPort: port,
    runnerPublicUrl: env.RUNNER_PUBLIC_URL || undefined,
    fleetOrigins: fleetOrigins(env),
    dev: env.NODE_ENV === "development",
  });
}

/** With RUNNERS set, each runner's browser origin; a bad RUNNERS is reported at start, not here. */
function fleetOrigins(env: NodeJS.ProcessEnv): string[] | undefined {
  if (!env.RUNNERS?.trim()) return undefined;
  try {
    return publicOrigins(
      parseRunners(
        { RUNNERS: env.RUNNERS, RUNNER_PUBLIC_URL_TEMPLATE: env.RUNNER_PUBLIC_URL_TEMPLATE },
        { name: "local", url: "http://127.0.0.1" },
      ),
    );
  } catch {
    return undefined;
  }
}

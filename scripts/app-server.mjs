#!/usr/bin/env node
/**
 * The app's HTTP server: Next.js's own request handler behind a plain node:http server, so the app
 * knows which address each request came from. `next start` keeps whatever X-Forwarded-For the
 * client sent, which let anyone choose the address the sign-in and sandbox limits count against;
 * here the header is rewritten to the one address those limits may trust (./lib/forwarded.mjs).
 * Usage: node scripts/app-server.mjs <port>
 */
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import next from "next";
import { clientAddress, parseTrustedProxies } from "./lib/forwarded.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.argv[2] ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`app-server: the port must be a number from 1 to 65535, got "${process.argv[2] ?? process.env.PORT}"`);
  process.exit(2);
}
const trusted = parseTrustedProxies(process.env.TRUSTED_PROXIES);

const app = next({ dev: false, dir: root, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer((req, res) => {
  req.headers["x-forwarded-for"] = clientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], trusted);
  handle(req, res).catch((e) => {
    console.error("[app] request failed:", e);
    if (!res.headersSent) res.writeHead(500).end();
  });
});
server.listen(port, () => console.log(`app: ready on http://localhost:${port}`));
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => server.close(() => process.exit(0)).closeAllConnections());

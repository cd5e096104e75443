import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";
import { API_CSP, STATIC_SECURITY_HEADERS } from "./app/_lib/security/headers";

const withNextIntl = createNextIntlPlugin("./app/_i18n/request.ts");

const config: NextConfig = {
  reactStrictMode: true,
  // Type-check what the app compiles (and what it imports), not every test in the repository.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  poweredByHeader: false,
  // forbidden(): refused pages answer 403 with app/[locale]/forbidden.tsx (in the page's language).
  experimental: { authInterrupts: true },
  // Native modules stay outside the server bundle (better-sqlite3 is loaded by Prisma's adapter).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "node-pty"],
  // MDX is compiled by @mdx-js/mdx at build time from content/; its files are read with fs.
  outputFileTracingIncludes: { "/**": ["./content/**/*"] },
  // Security headers on every response; pages get their Content-Security-Policy from proxy.ts
  // (it needs the page's host for the runner's WebSocket origin).
  async headers() {
    return [
      { source: "/:path*", headers: [...STATIC_SECURITY_HEADERS] },
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: API_CSP }] },
    ];
  },
};

export default withNextIntl(config);

import type { NextConfig } from "next";
import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./app/_i18n/request.ts");

const config: NextConfig = {
  reactStrictMode: true,
  // Type-check what the app compiles (and what it imports), not every test in the repository.
  typescript: { tsconfigPath: "tsconfig.next.json" },
  poweredByHeader: false,
  // Native modules stay outside the server bundle (better-sqlite3 is loaded by Prisma's adapter).
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "node-pty"],
  // MDX is compiled by @mdx-js/mdx at build time from content/; its files are read with fs.
  outputFileTracingIncludes: { "/**": ["./content/**/*"] },
};

export default withNextIntl(config);

import { defineConfig } from "vitest/config";
import path from "node:path";

// Unit tests sit beside the code (*.test.ts); integration tests that drive real containers
// are named *.int.test.ts and run in their own project, one file at a time (they share the host).
export default defineConfig({
  resolve: {
    alias: {
      "@": path.resolve(__dirname, "app"),
      "@runner": path.resolve(__dirname, "sandbox-runner/src"),
      "@content": path.resolve(__dirname, "content"),
      "@contract": path.resolve(__dirname, "contract"),
      // Tests run outside React's server environment; in the app, Next resolves it to an empty module
      // on the server and fails the build if a client component imports a module marked with it.
      "server-only": path.resolve(__dirname, "node_modules/server-only/empty.js"),
    },
  },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["**/*.test.ts", "**/*.test.tsx"],
          // next-intl imports "next/server" without an extension, which Node's ESM loader refuses:
          // let Vite resolve it (proxy.test.ts runs the real middleware).
          server: { deps: { inline: ["next-intl"] } },
          exclude: ["**/*.int.test.ts", "node_modules/**", "e2e/**", ".next/**", ".data/**"],
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**", ".next/**", ".data/**", "test/fleet/**"],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 600_000,
        },
      },
      {
        extends: true,
        test: {
          // Three runners on simulated hosts (own network namespaces, DATA_DIRs, uid ranges): nothing
          // shared with the integration project, so `npm test` runs the two side by side.
          name: "fleet",
          include: ["test/fleet/**/*.int.test.ts"],
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

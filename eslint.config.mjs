import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

/**
 * The walls between the app, the runner and the contract both import (contract/README.md): an import
 * across one fails `npm test` (contract/walls.test.ts lints such imports to prove it). Integration
 * tests that drive both sides (`*.int.test.ts`) stand outside the walls.
 */
const RUNNER = "^@runner/|(^|/)sandbox-runner(/|$)";
const APP = "^@/|^@content/|^(\\.\\./)+app(/|$)";
const wall = (regex, message) => ({ "no-restricted-imports": ["error", { patterns: [{ regex, message }] }] });
export const walls = [
  {
    files: ["app/**", "proxy.ts"],
    ignores: ["**/*.int.test.ts"],
    rules: wall(RUNNER, "The app reaches the runner only through the contract (@contract/*): move what both sides need there."),
  },
  {
    files: ["sandbox-runner/**"],
    ignores: ["**/*.int.test.ts"],
    rules: wall(APP, "The runner knows nothing of the app: what both sides need belongs in contract/."),
  },
  {
    files: ["contract/**"],
    rules: wall(`${RUNNER}|${APP}`, "The contract imports neither the app nor the runner: both import it."),
  },
];

// Next's recommended rules (React, hooks, a11y basics, Core Web Vitals) plus its TypeScript rules.
export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  ...walls,
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "next-env.d.ts",
    "app/_generated/**",
    ".data/**",
    "bench/out/**",
    "test-results/**",
    "playwright-report/**",
  ]),
]);

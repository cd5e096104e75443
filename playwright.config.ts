import { defineConfig, devices, type PlaywrightTestOptions, type PlaywrightWorkerOptions } from "@playwright/test";

/**
 * End-to-end tests in Debian's Chromium (Playwright cannot download its own browser here) against
 * the real app, runner and containers, which must already be running: `npm test` starts them and
 * passes BASE_URL; by hand, start the runner and `next start` first.
 * Background-networking flags keep Chromium from hammering the closed network.
 */
const BROWSER: Partial<PlaywrightTestOptions & PlaywrightWorkerOptions> = {
  ...devices["Desktop Chrome"],
  viewport: { width: 1400, height: 900 },
  // A Portuguese-speaking learner by default: the home page `/` follows Accept-Language
  // (an English browser is sent to /en), and the tests that open `/` mean the Portuguese site.
  locale: "pt-BR",
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      "--no-first-run",
      "--disable-dev-shm-usage",
    ],
  },
};

/** Specs that change the shared runner for everyone (a drain): they run alone, after the others. */
const ALONE = /admin-runners\.spec\.ts$/;

export default defineConfig({
  testDir: "e2e",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  // Spec files run two at a time (the tests of one file stay in order): every test is a learner of
  // its own, sharing the app and the runner the way a class does. E2E_WORKERS=1 runs them one by one.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://localhost:3000",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 60_000,
  },
  projects: [
    { name: "chromium", testIgnore: ALONE, use: BROWSER },
    { name: "alone", testMatch: ALONE, dependencies: ["chromium"], workers: 1, use: BROWSER },
  ],
});

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

/** E2E_WORKERS and E2E_TRACE, checked: a typo should say so, not run with something else. */
function envChoice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const v = process.env[name];
  if (v === undefined || v === "") return fallback;
  if (!(allowed as readonly string[]).includes(v))
    throw new Error(`${name}=${v} is not one of ${allowed.join(", ")}; unset it for ${fallback}.`);
  return v as T;
}
const WORKERS = Number(envChoice("E2E_WORKERS", ["1", "2", "3", "4"], "1"));
const TRACE = envChoice("E2E_TRACE", ["off", "on", "retain-on-failure", "retain-on-first-failure"], "off");

/** Specs that change the shared runner for everyone (a drain): they run alone, after the others. */
const ALONE = /admin-runners\.spec\.ts$/;

export default defineConfig({
  testDir: "e2e",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  // One spec file at a time by default: on a 2-core machine the suite is CPU-bound (measured: with
  // two workers beside the integration tests every test took about twice as long, no gain), and the
  // state-changing specs stay apart. E2E_WORKERS=2 runs two files at once (each test is its own
  // learner; the drain spec still runs alone, after the others: project "alone").
  fullyParallel: false,
  workers: WORKERS,
  retries: 0,
  reporter: process.env.CI ? "list" : [["list"]],
  use: {
    baseURL: process.env.BASE_URL ?? "http://localhost:3000",
    // No trace by default: recording one (screencast and DOM snapshots of every action) took about
    // 30% of the machine's CPU and 18% of the wall clock of learner-page.spec (measured side by side:
    // 90 s vs 62 s CPU, 68 s vs 55 s). A failure still leaves a screenshot and the page's error
    // context; E2E_TRACE=retain-on-failure records traces when chasing one.
    trace: TRACE,
    screenshot: "only-on-failure",
    actionTimeout: 15_000,
    navigationTimeout: 60_000,
  },
  projects: [
    { name: "chromium", testIgnore: ALONE, use: BROWSER },
    { name: "alone", testMatch: ALONE, dependencies: ["chromium"], workers: 1, use: BROWSER },
  ],
});

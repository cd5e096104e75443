import { expect, test } from "@playwright/test";
import { postFrom } from "./helpers";

/**
 * The web's edges an attacker pokes at (issue 15): the address the app's limits count against
 * cannot be chosen by the client, and `next` after sign-up never leads off the site.
 */

test("a client cannot dodge the sign-in limit by sending its own X-Forwarded-For", async () => {
  // AUTH_SIGNIN_PER_MINUTE (per address) is 120 by default; every try claims to come from another address.
  const limit = Number(process.env.AUTH_SIGNIN_PER_MINUTE ?? 120);
  // All at once, so they fall in one minute's window however slow the machine is.
  const statuses = await Promise.all(
    Array.from({ length: limit + 2 }, (_, i) =>
      postFrom(
        "127.0.0.2",
        "/api/auth/sign-in/email",
        { email: `nobody-${i}@example.org`, password: "wrong-password" },
        { "x-forwarded-for": `198.51.${100 + (i >> 8)}.${(i % 250) + 1}` },
      ).then((a) => a.status),
    ),
  );
  expect(statuses.filter((s) => s === 429)).toHaveLength(2);
  expect(statuses.filter((s) => s !== 429).every((s) => s === 401 || s === 400)).toBe(true);
});

test("next after sign-up stays on the site: a tab in the path is not a way out", async ({ page }) => {
  for (const next of ["/%09/evil.example/x", "//evil.example", "/%5C/evil.example", "https://evil.example/"]) {
    await page.goto(`/en/signup?next=${next}`);
    // The page's "sign in instead" link carries the `next` the page accepted.
    const href = (await page.locator('main a[href^="/en/signin?next="]').first().getAttribute("href")) ?? "";
    expect(href, next).not.toContain("evil");
    expect(decodeURIComponent(href.split("next=")[1] ?? ""), next).toBe("/en");
  }
});

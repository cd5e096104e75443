import { expect, test, type Page } from "@playwright/test";
import { expectConnected, firstLesson, homeUrl, lessonUrl, typeCommand, expectTerminalToShow } from "./helpers";

/**
 * Web security against the real app: security headers and a Content-Security-Policy that still
 * lets the lesson page work (terminal connected, no violation reported), server actions and route
 * handlers refusing cross-origin requests (CSRF), and hostile paths answered 4xx, never 500.
 */

async function collectViolations(page: Page): Promise<() => Promise<string[]>> {
  const console: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy|Refused to (load|execute|connect|apply)/i.test(m.text())) console.push(m.text());
  });
  await page.addInitScript(() => {
    (window as unknown as { __csp: string[] }).__csp = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { __csp: string[] }).__csp.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  return async () => [...console, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp))];
}

test("security headers and a CSP that the course map and a lesson with a live terminal respect", async ({ page }) => {
  const violations = await collectViolations(page);
  const res = await page.goto(homeUrl("en"));
  const h = res!.headers();
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["cross-origin-opener-policy"]).toBe("same-origin");
  expect(h["permissions-policy"]).toContain("camera=()");
  expect(h["x-frame-options"]).toBe("DENY");
  const csp = h["content-security-policy"] ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("'unsafe-eval'");
  expect(csp).toMatch(/connect-src 'self' ws:\/\/[^ ;]+:\d+/);
  expect(await violations()).toEqual([]);

  const lesson = await firstLesson();
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await typeCommand(page, "echo csp-$((40+2))");
  await expectTerminalToShow(page, /csp-42/);
  expect(await violations()).toEqual([]);

  const api = await page.request.get("/api/me");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});

test("server actions and route handlers refuse cross-origin requests (CSRF)", async ({ page, baseURL }) => {
  // Catch a real server action call from the lesson page (its id and body), then replay it.
  const lesson = await firstLesson();
  const calls: { url: string; action: string; body: string; contentType: string }[] = [];
  page.on("request", (r) => {
    const action = r.headers()["next-action"];
    if (action && r.method() === "POST")
      calls.push({
        url: r.url(),
        action,
        body: r.postData() ?? "",
        contentType: r.headers()["content-type"] ?? "text/plain;charset=UTF-8",
      });
  });
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await expect.poll(() => calls.length).toBeGreaterThan(0);
  const call = calls[0]!;
  const cookies = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const replay = (origin: string) =>
    page.request.post(call.url, {
      headers: { "next-action": call.action, "content-type": call.contentType, origin, cookie: cookies, accept: "text/x-component" },
      data: call.body,
      failOnStatusCode: false,
    });
  const same = await replay(new URL(baseURL!).origin);
  expect(same.status()).toBe(200);
  const cross = await replay("http://evil.example");
  expect(cross.status()).toBeGreaterThanOrEqual(400);

  const observe = await page.request.post("/api/observe/sb-anything", {
    headers: { origin: "http://evil.example" },
    failOnStatusCode: false,
  });
  expect(observe.status()).toBe(403);
});

test("hostile paths and parameters get a 4xx, never a file or a 500", async ({ page }) => {
  for (const p of [
    "/en/lessons/..%2f..%2fetc%2fpasswd",
    "/en/lessons/%2e%2e%2f%2e%2e%2fpackage.json",
    "/licoes/..%252f..%252f.data%252fsecret",
  ]) {
    const r = await page.request.get(p, { failOnStatusCode: false });
    expect({ p, status: r.status() }).toEqual({ p, status: 404 });
    expect(await r.text()).not.toMatch(/root:x:0:0|"scripts"|BEGIN/);
  }
  for (const p of [
    "/api/recordings/..%2f..%2fetc/passwd",
    "/api/recordings/sb-x/..%2f..%2fsecret",
    "/api/classes/..%2f..%2f/matrix",
    "/api/classes/x/learners/..%2fadmin",
  ]) {
    const r = await page.request.get(p, { failOnStatusCode: false });
    expect({ p, ok: r.status() >= 400 && r.status() < 500 }).toEqual({ p, ok: true });
  }
});

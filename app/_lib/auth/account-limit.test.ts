import { describe, expect, it } from "vitest";
import { createAccountLimit, tooManyResponse } from "./account-limit";

describe("per-account sign-in limit", () => {
  it("locks an account after N failures, tells how long, and leaves other accounts alone", async () => {
    const l = createAccountLimit(3, 15);
    for (let i = 0; i < 3; i++) {
      expect(await l.retryAfter("ana@x.org")).toBe(0);
      await l.failed(i === 1 ? " ANA@x.org" : "ana@x.org");
    }
    const wait = await l.retryAfter("ana@x.org");
    expect(wait).toBeGreaterThan(14 * 60);
    expect(wait).toBeLessThanOrEqual(15 * 60);
    expect(await l.retryAfter("bia@x.org")).toBe(0);
  });

  it("clears an account's failures on success", async () => {
    const l = createAccountLimit(2, 15);
    await l.failed("ana@x.org");
    await l.succeeded("ana@x.org");
    await l.failed("ana@x.org");
    expect(await l.retryAfter("ana@x.org")).toBe(0);
  });

  it("answers 429 with Retry-After and the wait in the body", async () => {
    const r = tooManyResponse(90);
    expect(r.status).toBe(429);
    expect(r.headers.get("retry-after")).toBe("90");
    expect(await r.json()).toMatchObject({ retryAfter: 90 });
  });
});

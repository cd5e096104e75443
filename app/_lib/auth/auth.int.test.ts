import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { migratedDb } from "../dal/test-db";
import { GUEST_COOKIE, signGuestToken } from "../dal/guest-token";
import * as records from "../dal/records";
import { createAuth, type Auth } from "./config";

/**
 * better-auth on the app's Prisma client and a real SQLite file migrated with the repository's
 * migrations, driven through its HTTP handler exactly as the browser reaches it (/api/auth/*).
 */
const secret = "test-secret-test-secret-test-secret";
const ORIGIN = "http://localhost:3999";
let dir: string;
let db: Db;
let auth: Auth;

function post(p: string, body: unknown, o: { origin?: string; cookie?: string; ip?: string } = {}): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    host: "localhost:3999",
    "x-forwarded-for": o.ip ?? "10.0.0.1",
  };
  if (o.origin !== undefined) headers.origin = o.origin;
  if (o.cookie) headers.cookie = o.cookie;
  return auth.handler(new Request(`${ORIGIN}/api/auth${p}`, { method: "POST", headers, body: JSON.stringify(body) }));
}

/** The cookies a response set, as a Cookie header for the next request. */
function cookiesOf(res: Response): string {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");
}

beforeAll(() => {
  ({ dir, db } = migratedDb("course-auth-"));
  auth = createAuth(db, { secret, signInPerMinute: 5 });
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("accounts through better-auth on the app database", () => {
  it("signs a guest up as a learner account, moving the guest's progress to it", async () => {
    const guest = { userId: "g_guest0000001", kind: "guest" as const, role: "learner" as const };
    await records.recordExerciseAttempt(db, guest, {
      lessonId: "01-a",
      exerciseId: "e1",
      passed: true,
      message: "ok",
      durationMs: 5,
      trigger: "auto",
    });
    await records.recordHintOpened(db, guest, { lessonId: "01-a", exerciseId: "e2", index: 0 });

    const res = await post(
      "/sign-up/email",
      { email: "ana@example.org", password: "correct horse 1", name: "Ana" },
      { origin: ORIGIN, cookie: `${GUEST_COOKIE}=${signGuestToken(secret, guest.userId)}` },
    );
    expect(res.status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email: "ana@example.org" } });
    expect(user).toMatchObject({ kind: "account", role: "learner", name: "Ana" });
    // Sessions live in the database; the password is a hash in Account, never plain.
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    const acc = await db.account.findFirstOrThrow({ where: { userId: user.id } });
    expect(acc.providerId).toBe("credential");
    expect(acc.password).not.toContain("correct horse");

    const me = await records.loadViewer(db, user.id);
    expect(await records.readCourseRecords(db, me)).toMatchObject({ passed: { "01-a": ["e1"] } });
    expect((await records.readLessonRecords(db, me, "01-a")).hintsOpened).toEqual({ e2: [0] });
    expect(await db.user.findUnique({ where: { id: guest.userId }, select: { claimedById: true } })).toEqual({ claimedById: user.id });
    // The old guest id keeps nothing.
    expect(await db.exerciseAttempt.count({ where: { userId: guest.userId } })).toBe(0);
  });

  it("never takes a role from the browser", async () => {
    const res = await post(
      "/sign-up/email",
      { email: "mallory@example.org", password: "p4ssword-long", name: "M", role: "admin", kind: "account" },
      { origin: ORIGIN },
    );
    const u = await db.user.findUnique({ where: { email: "mallory@example.org" } });
    if (res.ok) expect(u?.role).toBe("learner");
    else expect(u).toBeNull();
  });

  it("signs in, reads the session from its cookie and signs out (the session row is deleted)", async () => {
    const res = await post("/sign-in/email", { email: "ana@example.org", password: "correct horse 1" }, { origin: ORIGIN });
    expect(res.status).toBe(200);
    const cookie = cookiesOf(res);
    const session = await auth.api.getSession({ headers: new Headers({ cookie }) });
    expect(session?.user.email).toBe("ana@example.org");
    const before = await db.session.count();
    const out = await post("/sign-out", {}, { origin: ORIGIN, cookie });
    expect(out.status).toBe(200);
    expect(await db.session.count()).toBe(before - 1);
    expect(await auth.api.getSession({ headers: new Headers({ cookie }) })).toBeNull();
  });

  it("refuses a wrong password", async () => {
    const res = await post("/sign-in/email", { email: "ana@example.org", password: "wrong-password" }, { origin: ORIGIN, ip: "10.0.0.2" });
    expect(res.status).toBe(401);
  });

  it("refuses a sign-in posted from another site (CSRF: Origin check)", async () => {
    const res = await post(
      "/sign-in/email",
      { email: "ana@example.org", password: "correct horse 1" },
      { origin: "http://evil.example", ip: "10.0.0.3" },
    );
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it("rate-limits sign-in attempts per address", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push(
        (await post("/sign-in/email", { email: "ana@example.org", password: `guess-${i}-xxxx` }, { origin: ORIGIN, ip: "10.0.0.9" }))
          .status,
      );
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    // Even the right password waits now; another address is not affected.
    expect(
      (await post("/sign-in/email", { email: "ana@example.org", password: "correct horse 1" }, { origin: ORIGIN, ip: "10.0.0.9" })).status,
    ).toBe(429);
    expect(
      (await post("/sign-in/email", { email: "ana@example.org", password: "correct horse 1" }, { origin: ORIGIN, ip: "10.0.0.10" })).status,
    ).toBe(200);
  });
});

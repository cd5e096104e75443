import fs from "node:fs";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import * as classes from "../dal/classes";
import * as roster from "../dal/roster";
import { ForbiddenError, type Viewer } from "../dal/rules";
import { migratedDb } from "../dal/test-db";
import { createAuth, type Auth } from "./config";
import { smtpResetSender } from "./mail";

/**
 * Password resets, both ways, on a real SQLite file through better-auth's HTTP handler: the e-mail
 * flow through a real SMTP listener on loopback (what a school's mail server receives), and the
 * instructor's one-time link for a learner of their class (no e-mail at all).
 */
const secret = "test-secret-test-secret-test-secret";
const ORIGIN = "http://localhost:3998";
let dir: string;
let db: Db;
let auth: Auth;
let smtp: SMTPServer;
const mails: { to: string; raw: string }[] = [];
let mailArrived: (() => void) | null = null;

function call(method: "GET" | "POST", p: string, body?: unknown, cookie?: string): Promise<Response> {
  const headers: Record<string, string> = {
    "content-type": "application/json",
    host: "localhost:3998",
    origin: ORIGIN,
    "x-forwarded-for": "10.0.0.7",
  };
  if (cookie) headers.cookie = cookie;
  return auth.handler(
    new Request(`${ORIGIN}/api/auth${p}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: "manual",
    }),
  );
}
const signIn = (email: string, password: string) => call("POST", "/sign-in/email", { email, password });
const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");

async function signUp(email: string, name: string): Promise<string> {
  const res = await call("POST", "/sign-up/email", { email, password: "old password 1", name });
  expect(res.status).toBe(200);
  return (await db.user.findUniqueOrThrow({ where: { email } })).id;
}

beforeAll(async () => {
  ({ dir, db } = migratedDb("course-reset-"));
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, cb) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => (raw += c));
      stream.on("end", () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address).join(","), raw });
        mailArrived?.();
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, "127.0.0.1", r));
  const port = (smtp.server.address() as AddressInfo).port;
  auth = createAuth(db, { secret, sendResetPassword: smtpResetSender(`smtp://127.0.0.1:${port}`, "curso@example.org") });
}, 120_000);

afterAll(async () => {
  await new Promise<void>((r) => smtp?.close(() => r()));
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("password reset by e-mail (SMTP configured)", () => {
  it("mails a link through the SMTP server; the link sets a new password once and signs other browsers out", async () => {
    const id = await signUp("mail@example.org", "Mia");
    const before = cookiesOf(await signIn("mail@example.org", "old password 1"));
    const arrived = new Promise<void>((r) => (mailArrived = r));
    const asked = await call("POST", "/request-password-reset", { email: "mail@example.org", redirectTo: "/reset-password" });
    expect(asked.status).toBe(200);
    await arrived;
    const mail = mails.find((m) => m.to === "mail@example.org")!;
    expect(mail.raw).toContain("From: curso@example.org");
    // The body is quoted-printable: undo soft line breaks and =XX escapes.
    const body = mail.raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const link = body.match(/https?:\/\/\S+\/api\/auth\/reset-password\/\S+/)![0];
    // The e-mailed link leads to the app's reset page with the token.
    const hop = await call("GET", link.slice(link.indexOf("/api/auth") + "/api/auth".length));
    expect(hop.status).toBe(302);
    const token = new URL(hop.headers.get("location")!, ORIGIN).searchParams.get("token")!;
    expect(token).toBeTruthy();

    expect((await call("POST", "/reset-password", { token, newPassword: "new password 2" })).status).toBe(200);
    expect((await signIn("mail@example.org", "new password 2")).status).toBe(200);
    expect((await signIn("mail@example.org", "old password 1")).status).toBe(401);
    // Single use.
    expect((await call("POST", "/reset-password", { token, newPassword: "third password 3" })).status).toBe(400);
    // The browser signed in before the reset is signed out.
    const session = await call("GET", "/get-session", undefined, before);
    expect(await session.json()).toBeNull();
    expect(await db.session.count({ where: { userId: id } })).toBe(1);
  });

  it("answers the same for an unknown address and sends nothing", async () => {
    const n = mails.length;
    const res = await call("POST", "/request-password-reset", { email: "nobody@example.org", redirectTo: "/reset-password" });
    expect(res.status).toBe(200);
    expect(mails.length).toBe(n);
  });
});

describe("password reset link from an instructor (no e-mail)", () => {
  const store = async (userId: string, token: string, expiresAt: Date) => {
    const ctx = await auth.$context;
    await ctx.internalAdapter.createVerificationValue({ identifier: `reset-password:${token}`, value: userId, expiresAt });
  };
  let prof: Viewer;
  let other: Viewer;
  let learnerId: string;
  let outsiderId: string;
  let classId: string;

  beforeAll(async () => {
    const profId = await signUp("prof@example.org", "Prof");
    const otherId = await signUp("other-prof@example.org", "Other");
    await db.user.updateMany({ where: { id: { in: [profId, otherId] } }, data: { role: "instructor" } });
    prof = { userId: profId, kind: "account", role: "instructor" };
    other = { userId: otherId, kind: "account", role: "instructor" };
    learnerId = await signUp("lia@example.org", "Lia");
    outsiderId = await signUp("out@example.org", "Out");
    const c = await classes.createClass(db, prof, "Turma");
    classId = c.id;
    await classes.joinClass(db, { userId: learnerId, kind: "account", role: "learner" }, c.code);
  });

  it("issues a one-time, expiring link for a learner of the instructor's class", async () => {
    const { token, expiresAt } = await roster.issueResetToken(db, prof, classId, learnerId, store);
    expect(expiresAt.getTime()).toBeGreaterThan(Date.now() + (roster.RESET_LINK_HOURS - 1) * 3600_000);
    expect((await call("POST", "/reset-password", { token, newPassword: "chosen in class 1" })).status).toBe(200);
    expect((await signIn("lia@example.org", "chosen in class 1")).status).toBe(200);
    expect((await call("POST", "/reset-password", { token, newPassword: "again and again" })).status).toBe(400);
  });

  it("refuses an expired link", async () => {
    const { token } = await roster.issueResetToken(db, prof, classId, learnerId, store);
    await db.verification.updateMany({ where: { value: learnerId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await call("POST", "/reset-password", { token, newPassword: "too late pass 1" })).status).toBe(400);
    expect((await signIn("lia@example.org", "too late pass 1")).status).toBe(401);
  });

  it("refuses another class's instructor, a learner outside the class, a learner asking, and staff accounts", async () => {
    await expect(roster.issueResetToken(db, other, classId, learnerId, store)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.issueResetToken(db, prof, classId, outsiderId, store)).rejects.toBeInstanceOf(ForbiddenError);
    const lia: Viewer = { userId: learnerId, kind: "account", role: "learner" };
    await expect(roster.issueResetToken(db, lia, classId, learnerId, store)).rejects.toBeInstanceOf(ForbiddenError);
    // An instructor who joined the class as a learner is not the class instructor's to reset.
    await classes.joinClass(db, other, (await db.class.findUniqueOrThrow({ where: { id: classId } })).code);
    await expect(roster.issueResetToken(db, prof, classId, other.userId, store)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await db.verification.count({ where: { value: { in: [outsiderId, other.userId] } } })).toBe(0);
  });
});

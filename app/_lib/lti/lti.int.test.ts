import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCourse } from "@content/lib/load";
import { lessonPath } from "@/_i18n/paths";
import { PlatformSimulator, ROLE, type LaunchSpec } from "../../../e2e/lti/platform-simulator";
import { createAuth, type Auth } from "../auth/config";
import type { Db } from "../db";
import { migratedDb } from "../dal/test-db";
import * as records from "../dal/records";
import { handleJwks, handleLaunch, handleLogin } from "./http";
import { loadOrCreateToolKey } from "./keys";
import { classLmsStatus, syncClassWithLms } from "./class-link";
import { ForbiddenError } from "../dal/rules";
import { savePlatform } from "./platforms";
import { LtiTool, type CourseOutline } from "./tool";

/**
 * The LTI tool end to end against the platform simulator, both over real HTTP on loopback: the
 * tool's endpoints (the same handlers app/api/lti/* call) on one server, the simulated LMS with its
 * own keys on another; real signed JWTs both ways, a real migrated SQLite file, real better-auth
 * sessions. A small cookie jar plays the browser between them.
 */
let dir: string;
let db: Db;
let auth: Auth;
let tool: LtiTool;
let server: http.Server;
let toolOrigin: string;
let sim: PlatformSimulator;
let course: CourseOutline;

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  ({ dir, db } = migratedDb("course-lti-"));
  auth = createAuth(db, { secret: "test-secret-test-secret-test-secret", baseURL: "http://127.0.0.1" });
  const loaded = await loadCourse({ contentDir: path.resolve(__dirname, "../../../content") });
  course = {
    lessons: loaded.lessons.map((l) => ({
      id: l.id,
      titles: { "pt-BR": l.content["pt-BR"].title, en: l.content.en.title },
      exerciseIds: l.exercises.map((e) => e.id),
      path: (loc: "pt-BR" | "en") => lessonPath(loc, l.slugs[loc]),
    })),
  };
  const key = await loadOrCreateToolKey(dir);
  tool = new LtiTool({ db, auth, key, course: async () => course, log: () => undefined });
  server = http.createServer((req, res) => {
    void (async () => {
      const url = `${toolOrigin}${req.url}`;
      const init: RequestInit = { method: req.method, headers: req.headers as Record<string, string> };
      if (req.method === "POST") init.body = new Uint8Array(await readBody(req));
      const request = new Request(url, init);
      const p = new URL(url).pathname;
      const response =
        p === "/api/lti/login"
          ? await handleLogin(tool, request, { log: () => undefined })
          : p === "/api/lti/launch"
            ? await handleLaunch(tool, request, { log: () => undefined })
            : p === "/api/lti/jwks"
              ? handleJwks(tool)
              : new Response("not found", { status: 404 });
      const headers: Record<string, string | string[]> = {};
      response.headers.forEach((v, k) => {
        if (k !== "set-cookie") headers[k] = v;
      });
      const cookies = response.headers.getSetCookie();
      if (cookies.length) headers["set-cookie"] = cookies;
      res.writeHead(response.status, headers).end(Buffer.from(await response.arrayBuffer()));
    })().catch((e: Error) => res.writeHead(500).end(e.message));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  toolOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim = await new PlatformSimulator({
    tool: { loginUrl: `${toolOrigin}/api/lti/login`, launchUrl: `${toolOrigin}/api/lti/launch`, jwksUrl: `${toolOrigin}/api/lti/jwks` },
  }).start();
  await savePlatform(db, sim.registration());
}, 120_000);

afterAll(async () => {
  await tool?.settle();
  await sim?.stop();
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A browser's cookies for the tool (name → value). */
type Jar = Map<string, string>;

function keepCookies(jar: Jar, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(";");
    const eq = pair!.indexOf("=");
    const name = pair!.slice(0, eq).trim();
    if (attrs.some((a) => /max-age=0/i.test(a.trim()))) jar.delete(name);
    else jar.set(name, pair!.slice(eq + 1).trim());
  }
}

function cookieHeader(jar: Jar): string {
  return [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
}

function formFields(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = decode(m[2]!);
  return { action: decode(action), fields };
}

function decode(s: string): string {
  return s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, "&");
}

function postForm(url: string, fields: Record<string, string>, jar?: Jar): Promise<Response> {
  return fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(jar ? { cookie: cookieHeader(jar) } : {}) },
    body: new URLSearchParams(fields),
  });
}

/**
 * One launch as a browser does it: the LMS's form post to the tool's login, the redirect to the
 * LMS's auth endpoint, its auto-posted form with the id_token back to the tool's launch URL.
 */
async function launch(spec: LaunchSpec, jar: Jar = new Map()) {
  const { loginParams } = sim.prepareLaunch(spec);
  const login = await postForm(`${toolOrigin}/api/lti/login`, loginParams);
  expect(login.status, await login.clone().text()).toBe(302);
  keepCookies(jar, login);
  const authRes = await fetch(login.headers.get("location")!, { redirect: "manual" });
  expect(authRes.status, await authRes.clone().text()).toBe(200);
  const form = formFields(await authRes.text());
  expect(form.action).toBe(`${toolOrigin}/api/lti/launch`);
  const res = await postForm(form.action, form.fields, jar);
  keepCookies(jar, res);
  return { res, form, jar };
}

async function signedInUser(jar: Jar) {
  const s = await auth.api.getSession({ headers: new Headers({ cookie: cookieHeader(jar) }) });
  return s?.user ?? null;
}

const CONTEXT = { id: "course-101", title: "Docker na Escola 101" };
const teacher = { sub: "lms-teacher-1", name: "Profa. Carla", email: "carla@escola.example", roles: [ROLE.instructor] };
const learner = { sub: "lms-learner-1", name: "Bia Souza", email: "bia@escola.example", roles: [ROLE.learner] };

describe("LTI 1.3 launches against a simulated LMS", () => {
  let classId: string;

  it("serves the tool's public key (and never its private half) as a JWKS", async () => {
    const res = await fetch(`${toolOrigin}/api/lti/jwks`);
    const jwks = (await res.json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig" });
    expect(jwks.keys[0]).not.toHaveProperty("d");
    expect(fs.statSync(path.join(dir, "lti", "tool-key.json")).mode & 0o777).toBe(0o600);
  });

  it("an instructor's launch creates their account, signs them in and makes the LMS course their class; the roster fills it", async () => {
    sim.roster = [
      { ...teacher },
      { sub: "lms-learner-2", name: "Caio Lima", email: "caio@escola.example", roles: [ROLE.learner] },
      { sub: "lms-learner-3", name: "Dani Reis", roles: [ROLE.learner] },
      { sub: "lms-learner-4", name: "Edu Saiu", roles: [ROLE.learner], status: "Inactive" },
    ];
    const { res, jar } = await launch({ user: teacher, context: CONTEXT, resourceLinkId: "course-home", nrps: true });
    expect(res.status, await res.clone().text()).toBe(303);
    const user = await signedInUser(jar);
    expect(user).toMatchObject({ name: teacher.name, email: teacher.email });
    const row = await db.user.findUniqueOrThrow({ where: { id: user!.id } });
    expect(row).toMatchObject({ kind: "account", role: "instructor" });
    const cls = await db.class.findFirstOrThrow({ where: { instructorId: user!.id } });
    expect(cls.name).toBe(CONTEXT.title);
    classId = cls.id;
    expect(res.headers.get("location")).toBe(`${toolOrigin}/instructor/classes/${cls.id}`);
    // Roster sync (NRPS, two pages) runs after the launch: active learners get accounts and seats.
    await tool.settle();
    const enrolled = await db.enrollment.findMany({ where: { classId }, include: { user: true } });
    expect(enrolled.map((e) => e.user.name).sort()).toEqual(["Caio Lima", "Dani Reis"]);
    expect(sim.tokenRequests.filter((t) => t.ok).map((t) => t.scope)).toContain(
      "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    );
  });

  it("a learner removed from the LMS course leaves the class at the next roster sync", async () => {
    sim.roster = sim.roster.map((m) => (m.sub === "lms-learner-3" ? { ...m, status: "Inactive" as const } : m));
    const ctx = await db.ltiContext.findFirstOrThrow({ where: { classId } });
    const r = await tool.syncRoster(ctx.id);
    expect(r).toMatchObject({ members: 4, removed: 2 });
    const enrolled = await db.enrollment.findMany({ where: { classId }, include: { user: true } });
    expect(enrolled.map((e) => e.user.name)).toEqual(["Caio Lima"]);
  });

  it("Deep Linking: the teacher picks a lesson and the LMS receives a response signed with the tool's key", async () => {
    const { res } = await launch({ user: teacher, context: CONTEXT, type: "LtiDeepLinkingRequest", locale: "pt-BR" });
    expect(res.status).toBe(200);
    const html = await res.text();
    const lesson = course.lessons[0]!;
    expect(html).toContain(lesson.titles["pt-BR"]);
    const forms = [...html.matchAll(/<form method="post" action="([^"]+)"><input type="hidden" name="JWT" value="([^"]+)">/g)];
    expect(forms).toHaveLength(course.lessons.length + 1);
    expect(decode(forms[0]![1]!)).toBe(`${sim.origin}/deep-link-return`);
    const back = await postForm(decode(forms[0]![1]!), { JWT: decode(forms[0]![2]!) });
    expect(back.status, await back.clone().text()).toBe(200);
    const dl = sim.deepLinkReturns.at(-1)!;
    expect(dl["https://purl.imsglobal.org/spec/lti/claim/message_type"]).toBe("LtiDeepLinkingResponse");
    expect(dl["https://purl.imsglobal.org/spec/lti/claim/deployment_id"]).toBe(sim.deploymentId);
    expect(dl["https://purl.imsglobal.org/spec/lti-dl/claim/data"]).toBe("opaque-platform-data");
    expect(dl["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]).toEqual([
      {
        type: "ltiResourceLink",
        title: lesson.titles["pt-BR"],
        url: `${toolOrigin}/api/lti/launch`,
        custom: { lesson: lesson.id },
        lineItem: { scoreMaximum: 100, label: lesson.titles["pt-BR"], resourceId: lesson.id },
      },
    ]);
  });

  it("a learner's launch of that lesson signs them in, seats them in the class, opens the lesson; a pass sends their score back", async () => {
    const lesson = course.lessons[0]!;
    const lineItem = sim.addLineItem(lesson.titles["pt-BR"], "lesson-1-link");
    const { res, jar } = await launch({
      user: learner,
      context: CONTEXT,
      resourceLinkId: "lesson-1-link",
      custom: { lesson: lesson.id },
      ags: { lineItemId: lineItem.id, lineitems: true },
      locale: "en-US",
    });
    expect(res.status, await res.clone().text()).toBe(303);
    expect(res.headers.get("location")).toBe(`${toolOrigin}${lesson.path("en")}`);
    const user = (await signedInUser(jar))!;
    expect(user).toMatchObject({ name: learner.name, email: learner.email });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("learner");
    expect(await db.enrollment.findUnique({ where: { classId_userId: { classId, userId: user.id } } })).not.toBeNull();

    const viewer = { userId: user.id, kind: "account" as const, role: "learner" as const };
    const first = lesson.exerciseIds[0]!;
    await records.recordExerciseAttempt(db, viewer, {
      lessonId: lesson.id,
      exerciseId: first,
      passed: true,
      message: "ok",
      durationMs: 5,
      trigger: "manual",
    });
    expect(await tool.sendScores({ userId: user.id })).toEqual({ sent: 1, failed: 0 });
    const score = sim.scores.at(-1)!;
    expect(score.lineItemId).toBe(lineItem.id);
    expect(score.body).toMatchObject({
      userId: learner.sub,
      scoreGiven: Math.round((100 / lesson.exerciseIds.length) * 100) / 100,
      scoreMaximum: 100,
      gradingProgress: "FullyGraded",
      activityProgress: lesson.exerciseIds.length === 1 ? "Completed" : "InProgress",
    });
    expect(score.scopes).toContain("https://purl.imsglobal.org/spec/lti-ags/scope/score");
    const g = await db.ltiGrade.findFirstOrThrow({ where: { userId: user.id } });
    expect(g).toMatchObject({ lastError: null, scoreGiven: score.body.scoreGiven });
  });

  it("a link added by hand (no line item) gets one made through the line items service, then the score", async () => {
    const lesson = course.lessons[1] ?? course.lessons[0]!;
    const { res, jar } = await launch({
      user: learner,
      context: CONTEXT,
      resourceLinkId: "hand-made-link",
      custom: { lesson: lesson.id },
      ags: { lineitems: true },
    });
    expect(res.status).toBe(303);
    const user = (await signedInUser(jar))!;
    const link = await db.ltiResourceLink.findFirstOrThrow({ where: { resourceLinkId: "hand-made-link" } });
    expect(await tool.sendScores({ linkId: link.id, userId: user.id })).toEqual({ sent: 1, failed: 0 });
    const made = [...sim.lineItems.values()].find((li) => li.resourceLinkId === "hand-made-link");
    expect(made).toMatchObject({ scoreMaximum: 100, resourceId: lesson.id });
    expect(sim.scores.at(-1)).toMatchObject({ lineItemId: made!.id, body: { userId: learner.sub, scoreGiven: 0 } });
  });

  it("learners who launch before any instructor wait for the class; the first instructor's launch creates it with them in it", async () => {
    const early = { id: "course-202", title: "Turma adiantada" };
    const a = await launch({ user: { sub: "early-1", name: "Early One", roles: [ROLE.learner] }, context: early, resourceLinkId: "x" });
    expect(a.res.headers.get("location")).toBe(`${toolOrigin}/`);
    const earlyUser = (await signedInUser(a.jar))!;
    expect(await db.ltiContext.findFirst({ where: { contextId: early.id } })).toMatchObject({ classId: null });
    const t = await launch({
      user: { sub: "late-teacher", name: "Late Teacher", roles: [ROLE.instructor] },
      context: early,
      resourceLinkId: "x",
    });
    const teacherUser = (await signedInUser(t.jar))!;
    const cls = await db.class.findFirstOrThrow({ where: { name: early.title } });
    expect(cls.instructorId).toBe(teacherUser.id);
    expect((await db.enrollment.findMany({ where: { classId: cls.id } })).map((e) => e.userId)).toEqual([earlyUser.id]);
  });

  it("the second launch of the same LMS user reuses their account (found by platform and sub, not e-mail)", async () => {
    const before = await db.user.count();
    const { jar } = await launch({ user: { ...learner, name: "Bia S. Souza" }, context: CONTEXT, resourceLinkId: "course-home" });
    const user = (await signedInUser(jar))!;
    expect(user.name).toBe("Bia S. Souza");
    expect(await db.user.count()).toBe(before);
  });

  it("an LMS user whose e-mail belongs to an existing account here gets their own account, not that one", async () => {
    const victim = await db.user.create({
      data: { id: "local-admin-1", kind: "account", role: "admin", email: "diretora@escola.example", name: "Local admin" },
    });
    const { jar } = await launch({
      user: { sub: "lms-impostor", name: "Impostor", email: "diretora@escola.example", roles: [ROLE.instructor] },
      context: CONTEXT,
    });
    const user = (await signedInUser(jar))!;
    expect(user.id).not.toBe(victim.id);
    expect(await db.user.findUniqueOrThrow({ where: { id: user.id } })).toMatchObject({ role: "instructor", email: null });
  });
});

describe("a linked class's LMS panel (instructor only)", () => {
  it("a score the LMS refused is kept as failing and sent again by the instructor's sync, with the roster", async () => {
    const ctx = await db.ltiContext.findFirstOrThrow({ where: { contextId: CONTEXT.id }, include: { platform: true } });
    const cls = await db.class.findUniqueOrThrow({ where: { id: ctx.classId! } });
    const teacherViewer = { userId: cls.instructorId, kind: "account" as const, role: "instructor" as const };
    const scoresBefore = sim.scores.length;
    sim.failScores = true;
    const down = await tool.sendScores({ classId: cls.id });
    expect(down.failed).toBeGreaterThan(0);
    expect(down.sent).toBe(0);
    expect(await classLmsStatus(db, teacherViewer, cls.id)).toMatchObject({
      platformName: "Simulated LMS",
      courseTitle: CONTEXT.title,
      gradesFailing: down.failed,
    });
    sim.failScores = false;
    const r = await syncClassWithLms(db, tool, teacherViewer, cls.id);
    expect(r.grades).toEqual({ sent: down.failed, failed: 0 });
    expect(r.roster).toMatchObject({ members: 4 });
    expect(sim.scores.length).toBe(scoresBefore + down.failed);
    expect((await classLmsStatus(db, teacherViewer, cls.id))!.gradesFailing).toBe(0);
  });

  it("another instructor, a learner of the class and a guest are refused", async () => {
    const ctx = await db.ltiContext.findFirstOrThrow({ where: { contextId: CONTEXT.id } });
    const learnerRow = await db.account.findFirstOrThrow({ where: { accountId: learner.sub } });
    for (const v of [
      { userId: "another-instructor", kind: "account" as const, role: "instructor" as const },
      { userId: learnerRow.userId, kind: "account" as const, role: "learner" as const },
      { userId: "g_guest", kind: "guest" as const, role: "learner" as const },
    ]) {
      await expect(syncClassWithLms(db, tool, v, ctx.classId!)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(classLmsStatus(db, v, ctx.classId!)).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
});

describe("LTI 1.3 refusals: each answers a clear page with its status and signs nobody in", () => {
  async function refused(spec: LaunchSpec, code: string, status: number) {
    const users = await db.user.count();
    const { res, jar } = await launch(spec);
    const html = await res.text();
    expect(res.status, html).toBe(status);
    expect(html).toContain(`data-lti-error="${code}"`);
    expect(html).toMatch(/Go back to your course in the LMS/);
    expect(await signedInUser(jar)).toBeNull();
    expect(await db.user.count()).toBe(users);
  }
  const stranger = { sub: "lms-stranger", name: "Stranger", roles: [ROLE.learner] };

  it("bad signature: an id_token signed with a key not in the LMS's JWKS", async () => {
    await refused({ user: stranger, context: CONTEXT, tamper: { rogueKey: true } }, "bad_signature", 401);
  });

  it("wrong audience: an id_token for another tool's client id", async () => {
    await refused({ user: stranger, context: CONTEXT, tamper: { aud: "some-other-tool" } }, "wrong_audience", 401);
  });

  it("expired token", async () => {
    await refused({ user: stranger, context: CONTEXT, tamper: { expOffsetS: -600, iatOffsetS: -900 } }, "expired", 401);
  });

  it("unknown deployment (in the id_token)", async () => {
    await refused({ user: stranger, context: CONTEXT, tamper: { deploymentId: "deployment-unknown" } }, "unknown_deployment", 403);
  });

  it("unknown deployment (at login) and unknown platform", async () => {
    const { loginParams } = sim.prepareLaunch({ user: stranger, deploymentId: "deployment-unknown" });
    const r1 = await postForm(`${toolOrigin}/api/lti/login`, loginParams);
    expect(r1.status).toBe(403);
    expect(await r1.text()).toContain('data-lti-error="unknown_deployment"');
    const r2 = await postForm(`${toolOrigin}/api/lti/login`, { ...loginParams, iss: "https://lms.elsewhere.example" });
    expect(r2.status).toBe(403);
    expect(await r2.text()).toContain('data-lti-error="unknown_platform"');
  });

  it("replayed nonce: the same id_token posted again (a captured form) is refused", async () => {
    const { res, form, jar } = await launch({ user: { ...stranger, sub: "lms-replay" }, context: CONTEXT });
    expect(res.status).toBe(303);
    // The first launch cleared the state cookie; an attacker who captured the form sends it back too.
    expect(jar.has(`curso_lti_${form.fields.state!.slice(0, 16)}`)).toBe(false);
    const replay = await postForm(
      form.action,
      form.fields,
      new Map([[`curso_lti_${form.fields.state!.slice(0, 16)}`, form.fields.state!]]),
    );
    expect(replay.status).toBe(401);
    expect(await replay.text()).toContain('data-lti-error="replayed"');
  });

  it("a nonce the login did not send (an old id_token with a new state) is refused", async () => {
    await refused({ user: stranger, context: CONTEXT, tamper: { nonce: "nonce-from-another-login" } }, "replayed", 401);
  });

  it("a launch whose state cookie is missing (another browser, login CSRF) is refused", async () => {
    const users = await db.user.count();
    const { loginParams } = sim.prepareLaunch({ user: stranger, context: CONTEXT });
    const login = await postForm(`${toolOrigin}/api/lti/login`, loginParams);
    const form = formFields(await (await fetch(login.headers.get("location")!)).text());
    const res = await postForm(form.action, form.fields);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('data-lti-error="state_mismatch"');
    expect(await db.user.count()).toBe(users);
  });

  it("a flood of logins is capped: past the limit of logins in flight, 429 with Retry-After and nothing stored", async () => {
    const pending = await db.ltiLoginState.count();
    const capped = new LtiTool({
      db,
      auth,
      key: await loadOrCreateToolKey(dir),
      course: async () => course,
      log: () => undefined,
      maxPendingLogins: pending + 2,
    });
    const { loginParams } = sim.prepareLaunch({ user: stranger });
    const login = () =>
      handleLogin(
        capped,
        new Request(`${toolOrigin}/api/lti/login`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams(loginParams),
        }),
        { log: () => undefined },
      );
    expect((await login()).status).toBe(302);
    expect((await login()).status).toBe(302);
    const third = await login();
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("60");
    expect(await third.text()).toContain('data-lti-error="too_many_logins"');
    expect(await db.ltiLoginState.count()).toBe(pending + 2);
  });

  it("a target_link_uri on another site is refused at login (no open redirect)", async () => {
    const { loginParams } = sim.prepareLaunch({ user: stranger, targetLinkUri: "https://evil.example/phish" });
    const r = await postForm(`${toolOrigin}/api/lti/login`, loginParams);
    expect(r.status).toBe(400);
    expect(await r.text()).toContain('data-lti-error="bad_target"');
  });
});

import { randomBytes } from "node:crypto";
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, jwtVerify, SignJWT, type JWTPayload } from "jose";
import { makeSignature } from "better-auth/crypto";
import type { Auth } from "../auth/config";
import type { Db } from "../db";
import { newJoinCode } from "../dal/join-code";
import { deepLinkingResponseClaims, type DeepLinkPick } from "./deep-linking";
import { isLtiError, LtiError } from "./errors";
import type { ToolKey } from "./keys";
import { AGS_SCOPE, CLOCK_SKEW_S, isInstructorRole, NRPS_SCOPE, parseLaunch, type DeepLinkingLaunch, type LaunchMessage } from "./message";
import { findPlatform, platformById, type Platform } from "./platforms";
import { exerciseShareScore, type ScoreFn } from "./score";
import { fetchMembers, findOrCreateLineItem, postScore, scoreBody, TokenCache, type Fetch, type Member } from "./services";

/**
 * The LTI 1.3 tool: OIDC third-party login initiation, the launch (id_token verified against the
 * platform's JWKS), accounts and classes from the launch's claims, Deep Linking responses, and
 * the Advantage services (grades out, roster in). Framework-free: route handlers in app/api/lti
 * and the tests hand it `Request`-derived values; all I/O goes through the injected db, auth and fetch.
 */

export interface CourseOutline {
  lessons: { id: string; titles: Record<"pt-BR" | "en", string>; exerciseIds: string[]; path: (locale: "pt-BR" | "en") => string }[];
}

export interface ToolDeps {
  db: Db;
  auth: Auth;
  key: ToolKey;
  course: () => Promise<CourseOutline>;
  fetch?: Fetch;
  score?: ScoreFn;
  log?: (msg: string, e?: unknown) => void;
  /** Most OIDC logins in flight at once (each is a row for 10 minutes): a flood of logins cannot grow the database without bound. */
  maxPendingLogins?: number;
}

export const LOGIN_STATE_TTL_S = 600;
export const STATE_COOKIE_PREFIX = "curso_lti_";

export interface LoginResult {
  redirect: string;
  cookie: { name: string; value: string; maxAge: number };
}

export interface SessionCookie {
  name: string;
  value: string;
  attributes: { path?: string; httpOnly?: boolean; secure?: boolean; sameSite?: string; maxAge?: number };
}

export type LaunchResult =
  | { kind: "redirect"; to: string; session: SessionCookie; userId: string; classId: string | null }
  | {
      kind: "deepLink";
      session: SessionCookie;
      userId: string;
      returnUrl: string;
      picks: { title: string; jwt: string }[];
      locale: "pt-BR" | "en";
    };

function b64url(n: number): string {
  return randomBytes(n).toString("base64url");
}

/** The cookie that ties a login's state to the browser that started it (login CSRF). */
export function stateCookieName(state: string): string {
  return STATE_COOKIE_PREFIX + state.slice(0, 16).replace(/[^A-Za-z0-9_-]/g, "");
}

function cookieFrom(header: string | null, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

export function launchLocale(locale: string | null): "pt-BR" | "en" {
  return locale && /^en\b/i.test(locale) ? "en" : "pt-BR";
}

export class LtiTool {
  private readonly fetchFn: Fetch;
  private readonly score: ScoreFn;
  private readonly tokens: TokenCache;
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  private readonly log: (msg: string, e?: unknown) => void;
  /** Background roster syncs started by launches (tests and shutdown wait on them). */
  readonly background = new Set<Promise<unknown>>();

  constructor(private readonly d: ToolDeps) {
    this.fetchFn = d.fetch ?? fetch;
    this.score = d.score ?? exerciseShareScore;
    this.tokens = new TokenCache(d.key, this.fetchFn);
    this.log = d.log ?? ((m, e) => console.error(`[lti] ${m}`, e ?? ""));
  }

  urls(origin: string) {
    return { login: `${origin}/api/lti/login`, launch: `${origin}/api/lti/launch`, jwks: `${origin}/api/lti/jwks` };
  }

  jwksDocument() {
    return { keys: [this.d.key.publicJwk] };
  }

  /** OIDC third-party initiated login (LTI Core §5.1.1 / IMS Security Framework §5.1.1). */
  async login(params: URLSearchParams, origin: string): Promise<LoginResult> {
    const iss = params.get("iss");
    const loginHint = params.get("login_hint");
    const target = params.get("target_link_uri");
    if (!iss || !loginHint || !target) throw new LtiError("bad_message", "the login needs iss, login_hint and target_link_uri");
    const platform = await findPlatform(this.d.db, iss, params.get("client_id"));
    if (!platform) throw new LtiError("unknown_platform", `issuer ${iss} with client id ${params.get("client_id") ?? "(none)"}`);
    const dep = params.get("lti_deployment_id");
    if (dep && !platform.deploymentIds.includes(dep)) throw new LtiError("unknown_deployment", `deployment ${dep} of ${iss}`);
    assertOwnUrl(target, origin);
    const state = b64url(32);
    const nonce = b64url(32);
    const now = Date.now();
    // Expired logins are swept here, where new ones are written: no timer needed.
    await this.d.db.ltiLoginState.deleteMany({ where: { expiresAt: { lt: new Date(now) } } });
    if ((await this.d.db.ltiLoginState.count()) >= (this.d.maxPendingLogins ?? 5000))
      throw new LtiError("too_many_logins", "too many sign-ins from LMSs are in progress; try again in a few minutes");
    await this.d.db.ltiLoginState.create({
      data: { state, nonce, platformId: platform.id, expiresAt: new Date(now + LOGIN_STATE_TTL_S * 1000) },
    });
    const auth = new URL(platform.authUrl);
    const q = {
      scope: "openid",
      response_type: "id_token",
      response_mode: "form_post",
      prompt: "none",
      client_id: platform.clientId,
      redirect_uri: this.urls(origin).launch,
      login_hint: loginHint,
      state,
      nonce,
      ...(params.get("lti_message_hint") ? { lti_message_hint: params.get("lti_message_hint")! } : {}),
    };
    for (const [k, v] of Object.entries(q)) auth.searchParams.set(k, v);
    return { redirect: auth.toString(), cookie: { name: stateCookieName(state), value: state, maxAge: LOGIN_STATE_TTL_S } };
  }

  private jwksOf(p: Platform) {
    let set = this.jwks.get(p.jwksUrl);
    if (!set) {
      set = createRemoteJWKSet(new URL(p.jwksUrl), { timeoutDuration: 10_000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.jwks.set(p.jwksUrl, set);
    }
    return set;
  }

  /** Verifies the id_token the platform posted (and the browser's state), then checks every claim. */
  async verifyLaunch(form: { id_token?: string | null; state?: string | null }, cookieHeader: string | null): Promise<LaunchMessage> {
    const token = form.id_token;
    const state = form.state;
    if (!token || !state) throw new LtiError("bad_message", "the launch needs id_token and state (form_post)");
    let unverified: JWTPayload;
    try {
      unverified = decodeJwt(token);
    } catch {
      throw new LtiError("bad_message", "id_token is not a JWT");
    }
    const iss = typeof unverified.iss === "string" ? unverified.iss : "";
    const auds = Array.isArray(unverified.aud) ? unverified.aud : unverified.aud ? [unverified.aud] : [];
    const clientId = typeof unverified.azp === "string" ? unverified.azp : auds.length === 1 ? auds[0]! : null;
    const platform = await findPlatform(this.d.db, iss, clientId);
    if (!platform)
      throw new LtiError(
        iss && (await findPlatform(this.d.db, iss, null)) ? "wrong_audience" : "unknown_platform",
        `issuer ${iss}, audience ${JSON.stringify(unverified.aud)}`,
      );
    if (cookieFrom(cookieHeader, stateCookieName(state)) !== state)
      throw new LtiError("state_mismatch", "the state cookie is missing or differs");
    // Single use: the row is deleted before anything else, so a second post of the same token finds nothing.
    const login = await this.d.db.ltiLoginState.findUnique({ where: { state } });
    const deleted = login ? (await this.d.db.ltiLoginState.deleteMany({ where: { state } })).count : 0;
    if (!login || deleted === 0) throw new LtiError("replayed", "this login's state was already used or never issued");
    if (login.platformId !== platform.id) throw new LtiError("wrong_issuer", "the login was started by another platform");
    if (login.expiresAt.getTime() < Date.now()) throw new LtiError("expired", "the login took longer than 10 minutes");
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwksOf(platform), {
        algorithms: ["RS256", "RS384", "RS512", "ES256", "ES384", "PS256"],
        issuer: platform.issuer,
        audience: platform.clientId,
        clockTolerance: CLOCK_SKEW_S,
      }));
    } catch (e) {
      throw mapJoseError(e, platform.jwksUrl);
    }
    return parseLaunch(payload as Record<string, unknown>, { platform, expectedNonce: login.nonce, nowS: Math.floor(Date.now() / 1000) });
  }

  /** The whole launch: verify, sign in (or create) the account, map the course to a class, route the browser. */
  async launch(
    form: { id_token?: string | null; state?: string | null },
    cookieHeader: string | null,
    origin: string,
  ): Promise<LaunchResult> {
    const m = await this.verifyLaunch(form, cookieHeader);
    const userId = await this.upsertUser(m.platformId, { lmsUserId: m.lmsUserId, name: m.name, email: m.email, instructor: m.instructor });
    const ctx = m.context ? await this.mapContext(m, userId) : null;
    const session = await this.sessionFor(userId);
    const locale = launchLocale(m.locale);
    if (m.type === "LtiDeepLinkingRequest") {
      if (!m.instructor) throw new LtiError("bad_message", "only a course's instructors pick lessons (Deep Linking)");
      return { kind: "deepLink", session, userId, returnUrl: m.returnUrl, picks: await this.deepLinkPicks(m, origin), locale };
    }
    assertOwnUrl(m.targetLinkUri, origin);
    const course = await this.d.course();
    const lesson = m.lessonId ? course.lessons.find((l) => l.id === m.lessonId) : undefined;
    if (ctx) {
      const link = await this.d.db.ltiResourceLink.upsert({
        where: { ltiContextId_resourceLinkId: { ltiContextId: ctx.id, resourceLinkId: m.resourceLinkId } },
        create: {
          ltiContextId: ctx.id,
          resourceLinkId: m.resourceLinkId,
          lessonId: lesson?.id ?? null,
          lineItemUrl: m.ags?.lineItemUrl ?? null,
          lineItemsUrl: m.ags?.lineItemsUrl ?? null,
          agsScopes: (m.ags?.scopes ?? []).join(" "),
        },
        update: {
          lessonId: lesson?.id ?? null,
          ...(m.ags?.lineItemUrl ? { lineItemUrl: m.ags.lineItemUrl } : {}),
          lineItemsUrl: m.ags?.lineItemsUrl ?? null,
          agsScopes: (m.ags?.scopes ?? []).join(" "),
        },
      });
      if (!m.instructor && m.ags && m.ags.scopes.includes(AGS_SCOPE.score)) {
        await this.d.db.ltiGrade.upsert({
          where: { linkId_userId: { linkId: link.id, userId } },
          create: { linkId: link.id, userId, lmsUserId: m.lmsUserId },
          update: { lmsUserId: m.lmsUserId },
        });
      }
    }
    const to =
      m.instructor && ctx?.classId && !lesson
        ? `/instructor/classes/${ctx.classId}`
        : lesson
          ? lesson.path(locale)
          : locale === "en"
            ? "/en"
            : "/";
    return { kind: "redirect", to, session, userId, classId: ctx?.classId ?? null };
  }

  /** The LMS user's account here, found by (platform, sub) only: an e-mail from the LMS never signs into an existing account. */
  async upsertUser(
    platformId: string,
    u: { lmsUserId: string; name: string | null; email: string | null; instructor: boolean },
  ): Promise<string> {
    const providerId = `lti:${platformId}`;
    const link = await this.d.db.account.findFirst({ where: { providerId, accountId: u.lmsUserId }, select: { userId: true } });
    const name = u.name?.slice(0, 100) ?? null;
    if (link) {
      const user = await this.d.db.user.findUnique({ where: { id: link.userId }, select: { role: true, email: true } });
      await this.d.db.user.update({
        where: { id: link.userId },
        data: {
          ...(name ? { name } : {}),
          // An LMS teacher may teach here; never more (admin comes only from this site's admins).
          ...(u.instructor && user?.role === "learner" ? { role: "instructor" as const } : {}),
          ...(!user?.email && u.email && !(await this.emailTaken(u.email)) ? { email: u.email.toLowerCase() } : {}),
        },
      });
      return link.userId;
    }
    const id = randomBytes(16).toString("hex");
    const email = u.email && !(await this.emailTaken(u.email)) ? u.email.toLowerCase() : null;
    await this.d.db.$transaction([
      this.d.db.user.create({ data: { id, kind: "account", role: u.instructor ? "instructor" : "learner", name: name ?? email, email } }),
      this.d.db.account.create({ data: { id: randomBytes(16).toString("hex"), userId: id, providerId, accountId: u.lmsUserId } }),
    ]);
    return id;
  }

  private async emailTaken(email: string): Promise<boolean> {
    return !!(await this.d.db.user.findUnique({ where: { email: email.toLowerCase() }, select: { id: true } }));
  }

  /**
   * LMS course → class. The first instructor to launch creates the class and owns it; learners who
   * launched before are enrolled then. Learners are enrolled at each launch.
   */
  private async mapContext(m: LaunchMessage, userId: string) {
    const c = m.context!;
    let ctx = await this.d.db.ltiContext.upsert({
      where: { platformId_contextId: { platformId: m.platformId, contextId: c.id } },
      create: { platformId: m.platformId, contextId: c.id, title: c.title, membershipsUrl: m.nrps?.membershipsUrl ?? null },
      update: { title: c.title, ...(m.nrps ? { membershipsUrl: m.nrps.membershipsUrl } : {}) },
    });
    await this.d.db.ltiContextMember.upsert({
      where: { ltiContextId_userId: { ltiContextId: ctx.id, userId } },
      create: { ltiContextId: ctx.id, userId, lmsUserId: m.lmsUserId, instructor: m.instructor },
      update: { instructor: m.instructor, active: true },
    });
    if (m.instructor && !ctx.classId) ctx = await this.createClassFor(ctx.id, c.title, userId);
    if (ctx.classId) await this.enrollMembers(ctx.id, ctx.classId);
    if (m.instructor && ctx.membershipsUrl) {
      const p = this.syncRoster(ctx.id).catch((e) => this.log(`roster sync of context ${ctx.id} failed`, e));
      this.background.add(p);
      void p.finally(() => this.background.delete(p));
    }
    return ctx;
  }

  private async createClassFor(ltiContextId: string, title: string, instructorId: string) {
    for (let i = 0; ; i++) {
      try {
        return await this.d.db.$transaction(async (tx) => {
          const cls = await tx.class.create({ data: { name: title, code: newJoinCode(), instructorId } });
          // Only one class per context even if two instructors launch at once: the update is conditional.
          const r = await tx.ltiContext.updateMany({ where: { id: ltiContextId, classId: null }, data: { classId: cls.id } });
          if (r.count === 0) throw new Error("context already has a class");
          return tx.ltiContext.findUniqueOrThrow({ where: { id: ltiContextId } });
        });
      } catch (e) {
        const now = await this.d.db.ltiContext.findUniqueOrThrow({ where: { id: ltiContextId } });
        if (now.classId) return now;
        if (i >= 4) throw e;
      }
    }
  }

  /** Enrolls the context's active learners in its class; inactive ones leave it. Instructors are not enrolled as learners. */
  private async enrollMembers(ltiContextId: string, classId: string) {
    const cls = await this.d.db.class.findUniqueOrThrow({ where: { id: classId }, select: { instructorId: true } });
    const members = await this.d.db.ltiContextMember.findMany({ where: { ltiContextId } });
    for (const mem of members) {
      if (mem.userId === cls.instructorId || mem.instructor) continue;
      if (mem.active) {
        await this.d.db.enrollment.upsert({
          where: { classId_userId: { classId, userId: mem.userId } },
          create: { classId, userId: mem.userId },
          update: {},
        });
      } else {
        await this.d.db.enrollment.deleteMany({ where: { classId, userId: mem.userId } });
      }
    }
  }

  /** Names and Role Provisioning: every member of the LMS course gets an account here and a seat in the class. */
  async syncRoster(ltiContextId: string): Promise<{ members: number; learners: number; removed: number }> {
    const ctx = await this.d.db.ltiContext.findUniqueOrThrow({ where: { id: ltiContextId } });
    if (!ctx.membershipsUrl) return { members: 0, learners: 0, removed: 0 };
    const platform = await platformById(this.d.db, ctx.platformId);
    if (!platform) throw new LtiError("unknown_platform", `platform ${ctx.platformId} was removed`);
    const token = await this.tokens.token(platform, [NRPS_SCOPE]);
    const members: Member[] = await fetchMembers(this.fetchFn, token, ctx.membershipsUrl);
    let learners = 0;
    let removed = 0;
    for (const mem of members) {
      const instructor = isInstructorRole(mem.roles);
      // Roster sync never promotes: an instructor role here comes from a signed launch only.
      const userId = await this.upsertUser(platform.id, { lmsUserId: mem.lmsUserId, name: mem.name, email: mem.email, instructor: false });
      await this.d.db.ltiContextMember.upsert({
        where: { ltiContextId_userId: { ltiContextId, userId } },
        create: { ltiContextId, userId, lmsUserId: mem.lmsUserId, instructor, active: mem.active },
        update: { instructor, active: mem.active },
      });
      if (!instructor && mem.active) learners++;
      if (!mem.active) removed++;
    }
    if (ctx.classId) await this.enrollMembers(ltiContextId, ctx.classId);
    return { members: members.length, learners, removed };
  }

  private async deepLinkPicks(m: DeepLinkingLaunch, origin: string): Promise<{ title: string; jwt: string }[]> {
    if (m.acceptTypes.length > 0 && !m.acceptTypes.includes("ltiResourceLink"))
      throw new LtiError("bad_message", `the platform accepts ${m.acceptTypes.join(", ")}, not ltiResourceLink`);
    const platform = (await platformById(this.d.db, m.platformId))!;
    const course = await this.d.course();
    const locale = launchLocale(m.locale);
    const picks: DeepLinkPick[] = [
      ...course.lessons.map((l) => ({ lessonId: l.id, title: l.titles[locale] })),
      { lessonId: null, title: "Aprendendo Docker" },
    ];
    const nowS = Math.floor(Date.now() / 1000);
    // One signed response per lesson, each in its own form: the pick posts straight to the LMS, no script needed.
    return Promise.all(
      picks.map(async (pick) => ({
        title: pick.title,
        jwt: await new SignJWT(
          deepLinkingResponseClaims({
            clientId: platform.clientId,
            issuer: platform.issuer,
            deploymentId: m.deploymentId,
            data: m.data,
            launchUrl: this.urls(origin).launch,
            pick,
            nonce: b64url(16),
          }),
        )
          .setProtectedHeader({ alg: "RS256", kid: this.d.key.kid, typ: "JWT" })
          .setIssuedAt(nowS)
          .setExpirationTime(nowS + 600)
          .sign(this.d.key.privateKey),
      })),
    );
  }

  /** A better-auth database session for the user, as the signed cookie better-auth itself reads. */
  private async sessionFor(userId: string): Promise<SessionCookie> {
    const ctx = await this.d.auth.$context;
    const s = await ctx.internalAdapter.createSession(userId);
    const c = ctx.authCookies.sessionToken;
    return {
      name: c.name,
      value: `${s.token}.${await makeSignature(s.token, ctx.secret)}`,
      attributes: { ...c.attributes, sameSite: String(c.attributes.sameSite ?? "lax") },
    };
  }

  /**
   * Sends the current score of each (link, learner) pair that matches to the LMS gradebook. Errors
   * are kept on the row (lastError) and the next call retries; returns how many were sent.
   */
  async sendScores(where: { userId?: string; linkId?: string; classId?: string }): Promise<{ sent: number; failed: number }> {
    const grades = await this.d.db.ltiGrade.findMany({
      where: {
        ...(where.userId ? { userId: where.userId } : {}),
        ...(where.linkId ? { linkId: where.linkId } : {}),
        ...(where.classId ? { link: { context: { classId: where.classId } } } : {}),
      },
      include: { link: { include: { context: true } } },
    });
    if (grades.length === 0) return { sent: 0, failed: 0 };
    const course = await this.d.course();
    let sent = 0;
    let failed = 0;
    for (const g of grades) {
      try {
        const platform = await platformById(this.d.db, g.link.context.platformId);
        if (!platform) throw new LtiError("unknown_platform", `platform ${g.link.context.platformId} was removed`);
        const lessons = g.link.lessonId ? course.lessons.filter((l) => l.id === g.link.lessonId) : course.lessons;
        const exerciseIds = lessons.flatMap((l) => l.exerciseIds);
        const passed = await this.d.db.exerciseAttempt.findMany({
          where: { userId: g.userId, passed: true, exerciseId: { in: exerciseIds } },
          select: { exerciseId: true },
          distinct: ["exerciseId"],
        });
        const visited =
          (await this.d.db.lessonVisit.count({ where: { userId: g.userId, lessonId: { in: lessons.map((l) => l.id) } } })) > 0;
        const s = this.score({ exerciseIds, passedExerciseIds: new Set(passed.map((p) => p.exerciseId)), visited });
        let lineItem = g.link.lineItemUrl;
        if (!lineItem) {
          if (!g.link.lineItemsUrl || !g.link.agsScopes.split(" ").includes(AGS_SCOPE.lineItem))
            throw new LtiError("bad_message", "the link has no gradebook column and the platform lets the tool make none");
          const t = await this.tokens.token(platform, [AGS_SCOPE.lineItem]);
          const title = lessons.length === 1 ? lessons[0]!.titles["pt-BR"] : "Aprendendo Docker";
          lineItem = await findOrCreateLineItem(this.fetchFn, t, g.link.lineItemsUrl, {
            resourceLinkId: g.link.resourceLinkId,
            label: title,
            resourceId: g.link.lessonId ?? "course",
          });
          await this.d.db.ltiResourceLink.update({ where: { id: g.link.id }, data: { lineItemUrl: lineItem } });
        }
        const token = await this.tokens.token(platform, [AGS_SCOPE.score]);
        const at = new Date();
        await postScore(this.fetchFn, token, lineItem, scoreBody(g.lmsUserId, s, at));
        await this.d.db.ltiGrade.update({ where: { id: g.id }, data: { scoreGiven: s.scoreGiven, sentAt: at, lastError: null } });
        sent++;
      } catch (e) {
        failed++;
        this.log(`score for user ${g.userId} on link ${g.linkId} not sent`, e);
        await this.d.db.ltiGrade
          .update({ where: { id: g.id }, data: { lastError: String((e as Error).message).slice(0, 500) } })
          .catch(() => undefined);
      }
    }
    return { sent, failed };
  }

  async settle(): Promise<void> {
    await Promise.allSettled([...this.background]);
  }
}

/** The launch may only send the browser to this site (an open redirect otherwise). */
function assertOwnUrl(target: string, origin: string): void {
  let u: URL;
  try {
    u = new URL(target);
  } catch {
    throw new LtiError("bad_target", `target_link_uri ${JSON.stringify(target)} is not a URL`);
  }
  if (u.origin !== new URL(origin).origin) throw new LtiError("bad_target", `target_link_uri ${target} is not on ${origin}`);
}

function mapJoseError(e: unknown, jwksUrl: string): LtiError {
  if (isLtiError(e)) return e;
  if (e instanceof joseErrors.JWTExpired) return new LtiError("expired", e.message);
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    if (e.claim === "aud") return new LtiError("wrong_audience", e.message);
    if (e.claim === "iss") return new LtiError("wrong_issuer", e.message);
    if (e.claim === "iat" || e.claim === "nbf") return new LtiError("expired", e.message);
    return new LtiError("bad_message", e.message);
  }
  if (
    e instanceof joseErrors.JWSSignatureVerificationFailed ||
    e instanceof joseErrors.JWKSNoMatchingKey ||
    e instanceof joseErrors.JOSEAlgNotAllowed
  )
    return new LtiError("bad_signature", (e as Error).message);
  if (e instanceof joseErrors.JWKSTimeout || e instanceof joseErrors.JWKSInvalid || e instanceof TypeError)
    return new LtiError("platform_unreachable", `keys at ${jwksUrl}: ${(e as Error).message}`);
  if (e instanceof joseErrors.JOSEError) return new LtiError("bad_signature", (e as Error).message);
  return new LtiError("platform_unreachable", `keys at ${jwksUrl}: ${(e as Error).message}`);
}

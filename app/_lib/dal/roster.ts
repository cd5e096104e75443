import { randomBytes } from "node:crypto";
import type { Db } from "../db";
import { loadManagedClass, loadManagedLearner, NotFoundError } from "./classes";
import { hashInviteToken, newInviteToken, normalizeInviteToken, parseInviteList } from "./invites";
import { newJoinCode } from "./join-code";
import { assertId, ForbiddenError, type Viewer } from "./rules";

/**
 * The instructor's roster tools and the classroom's messages, hands and assignments. Every
 * instructor-side function goes through loadManagedClass/loadManagedLearner (./classes.ts), so
 * the class's instructor or an admin may, and nobody else; learner-side functions act on the
 * viewer's own enrollments only.
 */

function cleanName(name: unknown): string {
  const clean = typeof name === "string" ? name.trim().replace(/\s+/g, " ") : "";
  if (clean.length < 1 || clean.length > 100) throw new TypeError("The class name must have 1 to 100 characters.");
  return clean;
}

export async function renameClass(db: Db, viewer: Viewer, classId: string, name: string): Promise<void> {
  await loadManagedClass(db, viewer, classId);
  await db.class.update({ where: { id: classId }, data: { name: cleanName(name) } });
}

/** Archived: the code and invites stop working and the class leaves the list's top; data stays. */
export async function setArchived(db: Db, viewer: Viewer, classId: string, archived: boolean): Promise<void> {
  await loadManagedClass(db, viewer, classId);
  await db.class.update({ where: { id: classId }, data: { archivedAt: archived ? new Date() : null } });
}

/**
 * Deletes the class, its enrollments, invites, messages, hands and assignments. The learners'
 * own progress (their Checks, answers, recordings) is theirs and stays. The class's exact name
 * must be typed to confirm, so a stray click cannot do it.
 */
export async function deleteClass(db: Db, viewer: Viewer, classId: string, confirmName: string): Promise<void> {
  const cls = await loadManagedClass(db, viewer, classId);
  if (typeof confirmName !== "string" || confirmName.trim() !== cls.name)
    throw new TypeError(`To delete the class, type its name exactly: ${cls.name}`);
  await db.class.delete({ where: { id: classId } });
}

/** A leaked code: a new one replaces it, and the old one joins nothing any more. */
export async function rotateCode(db: Db, viewer: Viewer, classId: string): Promise<string> {
  await loadManagedClass(db, viewer, classId);
  for (let i = 0; ; i++) {
    try {
      const c = await db.class.update({ where: { id: classId }, data: { code: newJoinCode() } });
      return c.code;
    } catch (e) {
      if (i >= 4 || !String((e as Error).message).includes("code")) throw e;
    }
  }
}

/** Takes a learner out of the class: the instructor no longer sees their data; their progress stays theirs. */
export async function removeLearner(db: Db, viewer: Viewer, classId: string, learnerId: string): Promise<void> {
  await loadManagedLearner(db, viewer, classId, learnerId);
  await db.$transaction([
    db.enrollment.delete({ where: { classId_userId: { classId, userId: learnerId } } }),
    db.helpRequest.updateMany({ where: { classId, userId: learnerId, loweredAt: null }, data: { loweredAt: new Date() } }),
  ]);
}

export interface IssuedInvite {
  label: string;
  token: string;
}

/** Bulk invite: one one-time code per pasted line. The tokens are shown once (only hashes are kept). */
export async function createInvites(db: Db, viewer: Viewer, classId: string, list: string): Promise<IssuedInvite[]> {
  const cls = await loadManagedClass(db, viewer, classId);
  if (cls.archivedAt) throw new TypeError("This class is archived: restore it before inviting learners.");
  const labels = parseInviteList(list);
  const issued = labels.map((label) => ({ label, token: newInviteToken() }));
  await db.classInvite.createMany({ data: issued.map((i) => ({ classId, label: i.label, tokenHash: hashInviteToken(i.token) })) });
  return issued;
}

export async function listInvites(db: Db, viewer: Viewer, classId: string) {
  await loadManagedClass(db, viewer, classId);
  return db.classInvite.findMany({
    where: { classId },
    orderBy: { createdAt: "asc" },
    select: { id: true, label: true, createdAt: true, usedAt: true },
  });
}

/** The class an unused invite leads to (for the join page), or null. */
export async function findClassByInvite(
  db: Db,
  input: string,
): Promise<{ id: string; name: string; instructorName: string | null } | null> {
  const token = normalizeInviteToken(input);
  if (!token) return null;
  const inv = await db.classInvite.findUnique({
    where: { tokenHash: hashInviteToken(token) },
    select: { usedAt: true, class: { select: { id: true, name: true, archivedAt: true, instructor: { select: { name: true } } } } },
  });
  if (!inv || inv.usedAt || inv.class.archivedAt) return null;
  return { id: inv.class.id, name: inv.class.name, instructorName: inv.class.instructor.name };
}

/** Joins with a one-time invite: used up by the first account that joins with it. */
export async function joinWithInvite(db: Db, viewer: Viewer, input: string): Promise<{ classId: string; name: string } | null> {
  const token = normalizeInviteToken(input);
  if (!token) return null;
  if (viewer.kind !== "account")
    throw new ForbiddenError("joining a class as a guest (create an account first: your progress comes along)");
  const inv = await db.classInvite.findUnique({ where: { tokenHash: hashInviteToken(token) }, include: { class: true } });
  if (!inv || inv.class.archivedAt) throw new NotFoundError(`An invitation with the code ${JSON.stringify(input)}`);
  if (inv.class.instructorId === viewer.userId) throw new ForbiddenError("joining your own class as a learner");
  // Two browsers racing with the same code: the conditional update lets exactly one through.
  return db.$transaction(async (tx) => {
    const used = await tx.classInvite.updateMany({
      where: { id: inv.id, usedAt: null },
      data: { usedAt: new Date(), usedById: viewer.userId },
    });
    if (used.count !== 1) throw new NotFoundError(`An unused invitation with the code ${JSON.stringify(input)} (it was used already)`);
    await tx.enrollment.upsert({
      where: { classId_userId: { classId: inv.classId, userId: viewer.userId } },
      create: { classId: inv.classId, userId: viewer.userId },
      update: {},
    });
    return { classId: inv.classId, name: inv.class.name };
  });
}

// ---------- password reset without e-mail ----------

/** How long an instructor's reset link works (it also stops working once used). */
export const RESET_LINK_HOURS = 24;

/**
 * A one-time password-reset token for a learner of the viewer's class. `store` writes it where the
 * auth library's reset flow looks for it (better-auth's verification table), so the reset itself,
 * its single use and its expiry are the library's. Staff accounts are refused: an instructor must
 * not take over another instructor's or an admin's account through a class they joined.
 */
export async function issueResetToken(
  db: Db,
  viewer: Viewer,
  classId: string,
  learnerId: string,
  store: (userId: string, token: string, expiresAt: Date) => Promise<void>,
): Promise<{ token: string; expiresAt: Date }> {
  await loadManagedLearner(db, viewer, classId, learnerId);
  const u = await db.user.findUnique({ where: { id: learnerId }, select: { kind: true, role: true } });
  if (u?.kind !== "account") throw new NotFoundError(`Account ${learnerId}`);
  if (u.role !== "learner" && viewer.role !== "admin")
    throw new ForbiddenError(`resetting the password of ${u.role} ${learnerId} (admins only)`);
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + RESET_LINK_HOURS * 3600_000);
  await store(learnerId, token, expiresAt);
  return { token, expiresAt };
}

// ---------- messages, sandbox reset requests, raised hands ----------

function cleanBody(body: unknown): string {
  const b = typeof body === "string" ? body.trim() : "";
  if (b.length < 1 || b.length > 500) throw new TypeError("A message must have 1 to 500 characters.");
  return b;
}

/** A message to one learner (`toUserId`) or the whole class (null). */
export async function sendMessage(db: Db, viewer: Viewer, classId: string, toUserId: string | null, body: string) {
  if (toUserId) await loadManagedLearner(db, viewer, classId, toUserId);
  else await loadManagedClass(db, viewer, classId);
  return db.classMessage.create({ data: { classId, fromId: viewer.userId, toUserId, body: cleanBody(body) } });
}

/** Asks the learner to let their sandbox be reset: nothing happens until they accept on their page. */
export async function requestSandboxReset(db: Db, viewer: Viewer, classId: string, learnerId: string) {
  await loadManagedLearner(db, viewer, classId, learnerId);
  return db.classMessage.create({ data: { classId, fromId: viewer.userId, toUserId: learnerId, kind: "reset", body: "" } });
}

/** Messages and requests the instructor sent a learner, with the learner's answers (learner page). */
export async function sentToLearner(db: Db, viewer: Viewer, classId: string, learnerId: string) {
  await loadManagedLearner(db, viewer, classId, learnerId);
  return db.classMessage.findMany({
    where: { classId, OR: [{ toUserId: learnerId }, { toUserId: null }] },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
}

/** A reset request stays answerable this long; later, the instructor asks again. */
export const RESET_REQUEST_MINUTES = 60;

export interface FeedMessage {
  id: string;
  className: string;
  kind: "text" | "reset";
  body: string;
  createdAt: string;
  toMe: boolean;
}

/** What the learner's page shows beside the terminal: recent messages, open reset requests, their hand. */
export async function classroomFeed(db: Db, viewer: Viewer) {
  const enrollments = await db.enrollment.findMany({
    where: { userId: viewer.userId, class: { archivedAt: null } },
    select: { classId: true, joinedAt: true, class: { select: { name: true } } },
  });
  if (enrollments.length === 0) return { enrolled: false, messages: [] as FeedMessage[], handRaised: false };
  const since = new Date(Date.now() - RESET_REQUEST_MINUTES * 60_000);
  const rows = await db.classMessage.findMany({
    where: {
      OR: enrollments.map((e) => ({ classId: e.classId, createdAt: { gte: e.joinedAt } })),
      AND: [
        { OR: [{ toUserId: viewer.userId }, { toUserId: null }] },
        { OR: [{ kind: "text" }, { kind: "reset", answer: null, createdAt: { gte: since } }] },
      ],
    },
    orderBy: { createdAt: "desc" },
    take: 10,
  });
  const names = new Map(enrollments.map((e) => [e.classId, e.class.name]));
  const hand = await db.helpRequest.findFirst({ where: { userId: viewer.userId, loweredAt: null }, select: { id: true } });
  return {
    enrolled: true,
    handRaised: !!hand,
    messages: rows.map((m): FeedMessage => ({
      id: m.id,
      className: names.get(m.classId) ?? "",
      kind: m.kind === "reset" ? "reset" : "text",
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      toMe: m.toUserId === viewer.userId,
    })),
  };
}

/** The learner answers a reset request addressed to them (once). */
export async function answerResetRequest(db: Db, viewer: Viewer, messageId: string, accept: boolean): Promise<void> {
  assertId("messageId", messageId);
  const done = await db.classMessage.updateMany({
    where: { id: messageId, toUserId: viewer.userId, kind: "reset", answer: null },
    data: { answer: accept ? "accepted" : "declined", answeredAt: new Date() },
  });
  if (done.count !== 1) throw new NotFoundError(`An open reset request ${messageId} for you`);
}

/** The learner raises (or lowers) their hand in every class they are in. */
export async function setMyHand(db: Db, viewer: Viewer, raised: boolean, lessonId: string | null): Promise<void> {
  if (viewer.kind !== "account") throw new ForbiddenError("raising a hand without an account in a class");
  if (lessonId !== null) assertId("lessonId", lessonId);
  const open = { userId: viewer.userId, loweredAt: null };
  if (!raised) {
    await db.helpRequest.updateMany({ where: open, data: { loweredAt: new Date() } });
    return;
  }
  const classes = await db.enrollment.findMany({
    where: { userId: viewer.userId, class: { archivedAt: null } },
    select: { classId: true },
  });
  if (classes.length === 0) throw new ForbiddenError("raising a hand outside a class (join a class first)");
  const already = new Set((await db.helpRequest.findMany({ where: open, select: { classId: true } })).map((h) => h.classId));
  const fresh = classes.filter((c) => !already.has(c.classId));
  if (fresh.length) await db.helpRequest.createMany({ data: fresh.map((c) => ({ classId: c.classId, userId: viewer.userId, lessonId })) });
}

/** The instructor lowers a learner's hand (they helped). */
export async function lowerHand(db: Db, viewer: Viewer, classId: string, learnerId: string): Promise<void> {
  await loadManagedLearner(db, viewer, classId, learnerId);
  await db.helpRequest.updateMany({ where: { classId, userId: learnerId, loweredAt: null }, data: { loweredAt: new Date() } });
}

// ---------- assignments ----------

export interface AssignmentInput {
  lessonId: string;
  /** ISO date-time, or null for no deadline */
  dueAt: string | null;
}

/** Replaces the class's assigned lessons (none: the whole course). Unknown lessons are refused. */
export async function setAssignments(
  db: Db,
  viewer: Viewer,
  classId: string,
  list: readonly AssignmentInput[],
  knownLessonIds: readonly string[],
): Promise<void> {
  await loadManagedClass(db, viewer, classId);
  const rows = list.map((a) => {
    assertId("lessonId", a.lessonId);
    if (!knownLessonIds.includes(a.lessonId)) throw new TypeError(`Lesson ${a.lessonId} is not in the course; pick lessons from the list.`);
    const due = a.dueAt ? new Date(a.dueAt) : null;
    if (due && Number.isNaN(due.getTime())) throw new TypeError(`The due date of ${a.lessonId} (${a.dueAt}) is not a date.`);
    return { classId, lessonId: a.lessonId, dueAt: due };
  });
  await db.$transaction([db.assignment.deleteMany({ where: { classId } }), db.assignment.createMany({ data: rows })]);
}

export async function listAssignments(db: Db, classId: string) {
  return db.assignment.findMany({ where: { classId }, select: { lessonId: true, dueAt: true } });
}

/** The class's learners with a running sandbox (the terminal grid), newest sandbox each. */
export async function runningSandboxes(db: Db, viewer: Viewer, classId: string) {
  await loadManagedClass(db, viewer, classId);
  const enrolled = await db.enrollment.findMany({
    where: { classId },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  const open = await db.sandboxSession.findMany({
    where: { userId: { in: enrolled.map((e) => e.user.id) }, endedAt: null },
    orderBy: { createdAt: "desc" },
    select: { userId: true, sandboxId: true },
  });
  const latest = new Map<string, string>();
  for (const s of open) if (!latest.has(s.userId)) latest.set(s.userId, s.sandboxId);
  return enrolled
    .filter((e) => latest.has(e.user.id))
    .map((e) => ({ userId: e.user.id, name: e.user.name || e.user.email || e.user.id, sandboxId: latest.get(e.user.id)! }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

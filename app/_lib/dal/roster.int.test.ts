import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { needsHelp } from "./class-matrix";
import * as classes from "./classes";
import * as records from "./records";
import * as roster from "./roster";
import { ForbiddenError, type Viewer } from "./rules";
import { migratedDb } from "./test-db";

/**
 * The roster tools against a real SQLite file migrated with the repository's migrations: what the
 * class's instructor can do, that another instructor, a learner and a guest cannot, and that
 * nothing but the class itself goes when a class is deleted.
 */
let dir: string;
let db: Db;
const cols = [
  { lessonId: "01-a", exerciseId: "e1" },
  { lessonId: "02-b", exerciseId: "e2" },
];
const qs = [{ lessonId: "01-a", questionId: "q1" }];
const profA: Viewer = { userId: "u_profA00001", kind: "account", role: "instructor" };
const profB: Viewer = { userId: "u_profB00001", kind: "account", role: "instructor" };
const lia: Viewer = { userId: "u_lia0000001", kind: "account", role: "learner" };
const rui: Viewer = { userId: "u_rui0000001", kind: "account", role: "learner" };
const guest: Viewer = { userId: "g_guest000001", kind: "guest", role: "learner" };
let cls: { id: string; code: string };

beforeAll(async () => {
  ({ dir, db } = migratedDb("course-roster-"));
  for (const v of [profA, profB, lia, rui]) {
    await db.user.create({ data: { id: v.userId, kind: "account", role: v.role, email: `${v.userId}@example.org`, name: v.userId } });
  }
  cls = await classes.createClass(db, profA, "Turma A");
  await classes.joinClass(db, lia, cls.code);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("the roster tools, by who asks", () => {
  it("rotates a leaked code: the old one joins nothing, the new one works", async () => {
    await expect(roster.rotateCode(db, profB, cls.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.rotateCode(db, lia, cls.id)).rejects.toBeInstanceOf(ForbiddenError);
    const fresh = await roster.rotateCode(db, profA, cls.id);
    expect(fresh).not.toBe(cls.code);
    await expect(classes.joinClass(db, rui, cls.code)).rejects.toBeInstanceOf(classes.NotFoundError);
    expect(await classes.findClassByCode(db, cls.code)).toBeNull();
    cls = { ...cls, code: fresh };
  });

  it("bulk-invites with one-time codes: each joins one account once", async () => {
    await expect(roster.createInvites(db, profB, cls.id, "x@y.z")).rejects.toBeInstanceOf(ForbiddenError);
    const inv = await roster.createInvites(db, profA, cls.id, "rui@escola.br\nOutra Pessoa");
    expect(inv.map((i) => i.label)).toEqual(["rui@escola.br", "Outra Pessoa"]);
    await expect(roster.joinWithInvite(db, guest, inv[0]!.token)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await roster.findClassByInvite(db, inv[0]!.token)).toMatchObject({ id: cls.id, name: "Turma A" });
    expect(await roster.joinWithInvite(db, rui, inv[0]!.token)).toMatchObject({ classId: cls.id });
    expect(await roster.findClassByInvite(db, inv[0]!.token)).toBeNull();
    await expect(roster.joinWithInvite(db, lia, inv[0]!.token)).rejects.toBeInstanceOf(classes.NotFoundError);
    expect((await roster.listInvites(db, profA, cls.id)).map((i) => !!i.usedAt)).toEqual([true, false]);
    // Only hashes are stored.
    expect(JSON.stringify(await db.classInvite.findMany())).not.toContain(inv[1]!.token);
  });

  it("removes a learner: out of the class and its matrix, their own progress kept", async () => {
    await records.recordExerciseAttempt(db, rui, {
      lessonId: "01-a",
      exerciseId: "e1",
      passed: true,
      message: "ok",
      durationMs: 1,
      trigger: "manual",
    });
    await expect(roster.removeLearner(db, profB, cls.id, rui.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.removeLearner(db, lia, cls.id, rui.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await roster.removeLearner(db, profA, cls.id, rui.userId);
    const m = await classes.classMatrix(db, profA, cls.id, cols, qs);
    expect(m.rows.map((r) => r.learner.userId)).toEqual([lia.userId]);
    expect(await db.exerciseAttempt.count({ where: { userId: rui.userId } })).toBe(1);
    await expect(classes.learnerTimeline(db, profA, cls.id, rui.userId)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("a raised hand shows in the matrix and in the stuck filter; the instructor lowers it", async () => {
    await expect(roster.setMyHand(db, guest, true, null)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.setMyHand(db, rui, true, null)).rejects.toBeInstanceOf(ForbiddenError); // in no class now
    let row = (await classes.classMatrix(db, profA, cls.id, cols, qs)).rows[0]!;
    expect(needsHelp(row)).toBe(false);
    const stamp = await classes.classActivityStamp(db, profA, cls.id);
    await roster.setMyHand(db, lia, true, "01-a");
    expect(await classes.classActivityStamp(db, profA, cls.id)).not.toBe(stamp);
    row = (await classes.classMatrix(db, profA, cls.id, cols, qs)).rows[0]!;
    expect(row).toMatchObject({ hand: true, stuck: 0 });
    expect(needsHelp(row)).toBe(true);
    expect((await roster.classroomFeed(db, lia)).handRaised).toBe(true);
    await expect(roster.lowerHand(db, profB, cls.id, lia.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await roster.lowerHand(db, profA, cls.id, lia.userId);
    expect((await classes.classMatrix(db, profA, cls.id, cols, qs)).rows[0]!.hand).toBe(false);
  });

  it("messages reach the learner (one or the whole class); a reset waits for the learner's consent", async () => {
    await expect(roster.sendMessage(db, profB, cls.id, null, "oi")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.sendMessage(db, profA, cls.id, rui.userId, "oi")).rejects.toBeInstanceOf(ForbiddenError); // not in the class
    await expect(roster.sendMessage(db, profA, cls.id, null, " ")).rejects.toThrow(/1 to 500/);
    await roster.sendMessage(db, profA, cls.id, null, "Intervalo de 10 minutos");
    await roster.sendMessage(db, profA, cls.id, lia.userId, "Lia, veja a dica 2");
    const req = await roster.requestSandboxReset(db, profA, cls.id, lia.userId);
    const feed = await roster.classroomFeed(db, lia);
    expect(feed.messages.map((m) => [m.kind, m.body, m.toMe])).toEqual([
      ["reset", "", true],
      ["text", "Lia, veja a dica 2", true],
      ["text", "Intervalo de 10 minutos", false],
    ]);
    expect((await roster.classroomFeed(db, rui)).messages).toEqual([]);
    await expect(roster.answerResetRequest(db, rui, req.id, true)).rejects.toBeInstanceOf(classes.NotFoundError);
    await roster.answerResetRequest(db, lia, req.id, false);
    await expect(roster.answerResetRequest(db, lia, req.id, true)).rejects.toBeInstanceOf(classes.NotFoundError);
    expect((await roster.classroomFeed(db, lia)).messages.some((m) => m.kind === "reset")).toBe(false);
    expect((await roster.sentToLearner(db, profA, cls.id, lia.userId)).find((m) => m.id === req.id)?.answer).toBe("declined");
  });

  it("assignments choose the lessons (and due dates) the matrix and the score count", async () => {
    await expect(roster.setAssignments(db, profB, cls.id, [], ["01-a"])).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.setAssignments(db, profA, cls.id, [{ lessonId: "99-z", dueAt: null }], ["01-a", "02-b"])).rejects.toThrow(
      /not in the course/,
    );
    await expect(roster.setAssignments(db, profA, cls.id, [{ lessonId: "02-b", dueAt: "soon" }], ["01-a", "02-b"])).rejects.toThrow(
      /not a date/,
    );
    await roster.setAssignments(db, profA, cls.id, [{ lessonId: "02-b", dueAt: "2026-12-01T12:00:00Z" }], ["01-a", "02-b"]);
    const m = await classes.classMatrix(db, profA, cls.id, cols, qs);
    expect(m.columns).toEqual([{ lessonId: "02-b", exerciseId: "e2" }]);
    expect(m.questions).toEqual([]);
    expect(m.rows[0]!.score).toBe(0);
  });

  it("renames, archives (code stops working) and deletes only with the name typed; learners' progress stays", async () => {
    await expect(roster.renameClass(db, profB, cls.id, "Minha")).rejects.toBeInstanceOf(ForbiddenError);
    await roster.renameClass(db, profA, cls.id, "  Turma   B ");
    expect((await classes.listClasses(db, profA))[0]!.name).toBe("Turma B");
    await roster.setArchived(db, profA, cls.id, true);
    await expect(classes.joinClass(db, rui, cls.code)).rejects.toBeInstanceOf(classes.NotFoundError);
    await roster.setArchived(db, profA, cls.id, false);
    await records.recordExerciseAttempt(db, lia, {
      lessonId: "02-b",
      exerciseId: "e2",
      passed: true,
      message: "ok",
      durationMs: 1,
      trigger: "manual",
    });
    await expect(roster.deleteClass(db, profB, cls.id, "Turma B")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(roster.deleteClass(db, profA, cls.id, "Turma")).rejects.toThrow(/type its name exactly/);
    await roster.deleteClass(db, profA, cls.id, "Turma B");
    expect(await db.class.count()).toBe(0);
    expect(await db.enrollment.count()).toBe(0);
    expect(await db.exerciseAttempt.count({ where: { userId: lia.userId } })).toBe(1);
    expect(await db.user.count()).toBe(4);
  });
});

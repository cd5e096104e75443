import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../db";
import { migratedDb } from "./test-db";
import * as classes from "./classes";
import { claimGuest, ownsSandboxAs } from "./claim";
import * as records from "./records";
import { ForbiddenError, type Viewer } from "./rules";

/**
 * Authorization of classes against a real SQLite file migrated with the repository's migrations:
 * every rule of rules.ts is exercised through the functions pages and routes use, with the refusals
 * that matter (another instructor, a peer learner, a guest, a learner outside the class).
 */
let dir: string;
let db: Db;
const cols = [{ lessonId: "01-a", exerciseId: "e1" }];

const profA: Viewer = { userId: "u_profA00001", kind: "account", role: "instructor" };
const profB: Viewer = { userId: "u_profB00001", kind: "account", role: "instructor" };
const admin: Viewer = { userId: "u_admin00001", kind: "account", role: "admin" };
const lia: Viewer = { userId: "u_lia0000001", kind: "account", role: "learner" };
const rui: Viewer = { userId: "u_rui0000001", kind: "account", role: "learner" };
const guest: Viewer = { userId: "g_guest000001", kind: "guest", role: "learner" };
let classA: { id: string; code: string };

beforeAll(async () => {
  ({ dir, db } = migratedDb("course-classes-"));
  for (const v of [profA, profB, admin, lia, rui]) {
    await db.user.create({ data: { id: v.userId, kind: "account", role: v.role, email: `${v.userId}@example.org`, name: v.userId } });
  }
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("classes and their data, by who asks", () => {
  it("lets instructors create classes, not learners or guests", async () => {
    classA = await classes.createClass(db, profA, "Turma A");
    expect(classA.code).toMatch(/^[A-Z2-9]{8}$/);
    await expect(classes.createClass(db, lia, "mine")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(classes.createClass(db, guest, "mine")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(classes.createClass(db, profA, "   ")).rejects.toBeInstanceOf(TypeError);
  });

  it("lets an account join with the code, not a guest, not the class's own instructor", async () => {
    await expect(classes.joinClass(db, guest, classA.code)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(classes.joinClass(db, profA, classA.code)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(classes.joinClass(db, lia, "ZZZZZZZZ")).rejects.toBeInstanceOf(classes.NotFoundError);
    expect(await classes.joinClass(db, lia, classA.code.toLowerCase())).toMatchObject({ classId: classA.id });
    expect(await classes.joinClass(db, lia, classA.code)).toMatchObject({ classId: classA.id }); // twice is fine
    expect(await db.enrollment.count({ where: { classId: classA.id } })).toBe(1);
  });

  it("shows the matrix and timeline to the class's instructor and an admin only", async () => {
    await records.recordExerciseAttempt(db, lia, {
      lessonId: "01-a",
      exerciseId: "e1",
      passed: false,
      message: "falta o arquivo",
      durationMs: 9,
      trigger: "manual",
    });
    await records.recordExerciseAttempt(db, rui, {
      lessonId: "01-a",
      exerciseId: "e1",
      passed: true,
      message: "ok",
      durationMs: 9,
      trigger: "auto",
    });

    const m = await classes.classMatrix(db, profA, classA.id, cols);
    expect(m.rows.map((r) => r.learner.userId)).toEqual([lia.userId]); // Rui is not in the class
    expect(m.rows[0]!.cells["01-a/e1"]).toMatchObject({ status: "trying", checks: 1 });
    expect((await classes.classMatrix(db, admin, classA.id, cols)).rows).toHaveLength(1);
    const timeline = await classes.learnerTimeline(db, profA, classA.id, lia.userId);
    expect(timeline).toContainEqual(expect.objectContaining({ kind: "check", message: "falta o arquivo" }));

    for (const v of [profB, lia, rui, guest]) {
      await expect(classes.classMatrix(db, v, classA.id, cols)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(classes.classActivityStamp(db, v, classA.id)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(classes.learnerTimeline(db, v, classA.id, lia.userId)).rejects.toBeInstanceOf(ForbiddenError);
    }
    // The instructor reaches only learners of the class, even through their own class's URL.
    await expect(classes.learnerTimeline(db, profA, classA.id, rui.userId)).rejects.toBeInstanceOf(ForbiddenError);
    // And the records rule agrees: Prof A reads Lia, not Rui; Prof B reads neither.
    await expect(records.readCourseRecords(db, profA, lia.userId)).resolves.toBeTruthy();
    await expect(records.readCourseRecords(db, profA, rui.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(records.readCourseRecords(db, profB, lia.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(records.readCourseRecords(db, rui, lia.userId)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("lists each instructor's own classes only (an admin sees all)", async () => {
    await classes.createClass(db, profB, "Turma B");
    expect((await classes.listClasses(db, profA)).map((c) => c.name)).toEqual(["Turma A"]);
    expect((await classes.listClasses(db, profB)).map((c) => c.name)).toEqual(["Turma B"]);
    expect(await classes.listClasses(db, lia)).toEqual([]);
    expect((await classes.listClasses(db, admin)).length).toBe(2);
  });

  it("lets only the class's instructor (or an admin) watch or replay a learner's sandbox", async () => {
    await records.startSandboxSession(db, lia, { sandboxId: "sb-lia-1" });
    await records.startSandboxSession(db, rui, { sandboxId: "sb-rui-1" });
    expect((await classes.loadObservableSandbox(db, profA, "sb-lia-1")).userId).toBe(lia.userId);
    expect((await classes.loadObservableSandbox(db, admin, "sb-rui-1")).userId).toBe(rui.userId);
    for (const [v, sid] of [
      [profB, "sb-lia-1"],
      [profA, "sb-rui-1"],
      [rui, "sb-lia-1"],
      [lia, "sb-lia-1"], // not even her own: observing is for instructors; she has her own terminal
      [guest, "sb-lia-1"],
    ] as const) {
      await expect(classes.loadObservableSandbox(db, v, sid)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(classes.noteRecording(db, v, sid, "t-abc", "x")).rejects.toBeInstanceOf(ForbiddenError);
    }
  });

  it("lets only admins change roles", async () => {
    await expect(classes.setRole(db, profA, lia.userId, "admin")).rejects.toBeInstanceOf(ForbiddenError);
    await expect(classes.setRole(db, lia, lia.userId, "admin")).rejects.toBeInstanceOf(ForbiddenError);
    await classes.setRole(db, admin, rui.userId, "instructor");
    expect((await records.loadViewer(db, rui.userId)).role).toBe("instructor");
    await expect(classes.listAccounts(db, profA)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("claims a guest once, into an account only; its enrollment and records follow", async () => {
    await records.recordHintOpened(db, guest, { lessonId: "01-a", exerciseId: "e1", index: 0 });
    expect(await claimGuest(db, guest.userId, "g_other0000001")).toEqual({ claimed: false }); // not an account
    expect(await claimGuest(db, lia.userId, rui.userId)).toEqual({ claimed: false }); // an account is never claimed
    expect(await claimGuest(db, guest.userId, lia.userId)).toEqual({ claimed: true });
    expect(await claimGuest(db, guest.userId, rui.userId)).toEqual({ claimed: false }); // once
    expect((await records.readLessonRecords(db, lia, "01-a")).hintsOpened).toEqual({ e1: [0] });
    // The claimed guest id keeps learner rights only, and no records.
    expect(await records.loadViewer(db, guest.userId)).toMatchObject({ role: "learner" });
    expect(await db.hintOpened.count({ where: { userId: guest.userId } })).toBe(0);
    // The guest's running sandbox (the runner knows the guest's id as its owner) is now the account's.
    expect(await ownsSandboxAs(db, guest.userId, lia.userId)).toBe(true);
    expect(await ownsSandboxAs(db, guest.userId, rui.userId)).toBe(false);
    expect(await ownsSandboxAs(db, lia.userId, lia.userId)).toBe(true);
    expect(await ownsSandboxAs(db, rui.userId, lia.userId)).toBe(false); // another account, never
    expect(await ownsSandboxAs(db, "g_unclaimed01", lia.userId)).toBe(false);
  });
});

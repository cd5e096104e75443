import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../db";
import * as records from "./records";
import { ForbiddenError, type Viewer } from "./rules";
import { migratedDb } from "./test-db";

/**
 * The data-access layer against a real SQLite file, migrated by `prisma migrate deploy` with the
 * repository's migrations (the same command the start script runs), through the real Prisma client.
 */
let dir: string;
let db: Db;

const alice: Viewer = { userId: "g_alice000001", kind: "guest", role: "learner" };
const bob: Viewer = { userId: "g_bob00000001", kind: "guest", role: "learner" };

beforeAll(() => {
  ({ dir, db } = migratedDb("course-dal-"));
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("learning records through the DAL", () => {
  it("writes a learner's progress and reads it back", async () => {
    await records.recordLessonVisit(db, alice, "01-o-que-e-docker");
    await records.recordExerciseAttempt(db, alice, {
      lessonId: "01-o-que-e-docker",
      exerciseId: "kernel-do-host",
      passed: false,
      message: "not yet",
      durationMs: 120,
      trigger: "auto",
    });
    await records.recordExerciseAttempt(db, alice, {
      lessonId: "01-o-que-e-docker",
      exerciseId: "kernel-do-host",
      passed: true,
      message: "ok",
      durationMs: 95.6,
      trigger: "manual",
    });
    await records.recordExerciseAttempt(db, alice, {
      lessonId: "01-o-que-e-docker",
      exerciseId: "kernel-do-host",
      passed: true,
      message: "ok again",
      durationMs: 80,
      trigger: "auto",
    });
    await records.recordQuizAnswer(db, alice, { lessonId: "01-o-que-e-docker", questionId: "q-kernel", choice: "1", correct: false });
    await records.recordQuizAnswer(db, alice, { lessonId: "01-o-que-e-docker", questionId: "q-kernel", choice: "0", correct: true });
    await records.recordHintOpened(db, alice, { lessonId: "01-o-que-e-docker", exerciseId: "processos-isolados", index: 1 });
    await records.recordHintOpened(db, alice, { lessonId: "01-o-que-e-docker", exerciseId: "processos-isolados", index: 0 });
    await records.recordHintOpened(db, alice, { lessonId: "01-o-que-e-docker", exerciseId: "processos-isolados", index: 0 }); // twice: still one
    await records.recordSolutionOpened(db, alice, { lessonId: "01-o-que-e-docker", exerciseId: "processos-isolados" });

    const course = await records.readCourseRecords(db, alice);
    expect(course).toEqual({ passed: { "01-o-que-e-docker": ["kernel-do-host"] }, lastVisitedLessonId: "01-o-que-e-docker" });

    const lesson = await records.readLessonRecords(db, alice, "01-o-que-e-docker");
    expect(lesson).toEqual({
      passedExerciseIds: ["kernel-do-host"],
      hintsOpened: { "processos-isolados": [0, 1] },
      solutionsOpened: ["processos-isolados"],
      quizAnswers: { "q-kernel": { choice: "0", correct: true } },
    });

    // Every attempt is kept for the instructor's view, rounded to whole milliseconds.
    const attempts = await db.exerciseAttempt.findMany({ where: { userId: alice.userId }, orderBy: { createdAt: "asc" } });
    expect(attempts.map((a) => [a.passed, a.trigger, a.durationMs])).toEqual([
      [false, "auto", 120],
      [true, "manual", 96],
      [true, "auto", 80],
    ]);
    expect(await db.user.findUnique({ where: { id: alice.userId }, select: { kind: true, role: true } })).toEqual({
      kind: "guest",
      role: "learner",
    });
  });

  it("follows the most recent visit", async () => {
    await records.recordLessonVisit(db, alice, "02-lxc-namespaces");
    expect((await records.readCourseRecords(db, alice)).lastVisitedLessonId).toBe("02-lxc-namespaces");
    await new Promise((r) => setTimeout(r, 5));
    await records.recordLessonVisit(db, alice, "01-o-que-e-docker");
    expect((await records.readCourseRecords(db, alice)).lastVisitedLessonId).toBe("01-o-que-e-docker");
  });

  it("keeps one guest's records away from another guest", async () => {
    await records.recordQuizAnswer(db, bob, { lessonId: "01-o-que-e-docker", questionId: "q-kernel", choice: "1", correct: false });

    // Bob's own view holds only Bob's rows.
    expect(await records.readCourseRecords(db, bob)).toEqual({ passed: {}, lastVisitedLessonId: null });
    expect((await records.readLessonRecords(db, bob, "01-o-que-e-docker")).quizAnswers).toEqual({
      "q-kernel": { choice: "1", correct: false },
    });

    // Asking for Alice's records as Bob is refused, for the course and for a lesson.
    await expect(records.readCourseRecords(db, bob, alice.userId)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(records.readLessonRecords(db, bob, "01-o-que-e-docker", alice.userId)).rejects.toBeInstanceOf(ForbiddenError);

    // And Alice's answer was not changed by Bob's.
    expect((await records.readLessonRecords(db, alice, "01-o-que-e-docker")).quizAnswers["q-kernel"]).toEqual({
      choice: "0",
      correct: true,
    });
  });

  it("lets an instructor read a learner's progress once the learner is in their class (the dashboard's rule)", async () => {
    await db.user.create({ data: { id: "u_teacher001", kind: "account", role: "instructor", email: "prof@example.org" } });
    const teacher = await records.loadViewer(db, "u_teacher001");
    expect(teacher.role).toBe("instructor");
    await expect(records.readCourseRecords(db, teacher, alice.userId)).rejects.toBeInstanceOf(ForbiddenError);
    const cls = await db.class.create({ data: { name: "T1", code: "ABCDEFGH", instructorId: teacher.userId } });
    await db.enrollment.create({ data: { classId: cls.id, userId: alice.userId } });
    expect((await records.readCourseRecords(db, teacher, alice.userId)).passed).toEqual({ "01-o-que-e-docker": ["kernel-do-host"] });
    expect(await records.readCourseRecords(db, teacher, bob.userId).catch((e) => e)).toBeInstanceOf(ForbiddenError);
  });

  it("does not let a cookie's user id claim a role it does not have in the database", async () => {
    expect(await records.loadViewer(db, "g_never_seen_1")).toEqual({ userId: "g_never_seen_1", kind: "guest", role: "learner" });
  });

  it("ties sandbox sessions, attempts and recordings to their owner", async () => {
    await records.startSandboxSession(db, alice, { sandboxId: "sb-alice-1", lessonId: "01-o-que-e-docker" });
    expect(await records.findOpenSandboxSession(db, alice)).toMatchObject({ sandboxId: "sb-alice-1" });
    expect(await records.findOpenSandboxSession(db, bob)).toBeNull();

    await records.recordExerciseAttempt(db, alice, {
      lessonId: "01-o-que-e-docker",
      exerciseId: "processos-isolados",
      passed: true,
      message: "ok",
      durationMs: 10,
      trigger: "auto",
      sandboxId: "sb-alice-1",
    });
    await records.addTerminalRecording(db, alice, { sandboxId: "sb-alice-1", terminalId: "t1", path: "/data/rec/t1.cast", bytes: 1234 });

    // Bob cannot attach his attempts or recordings to Alice's sandbox, nor end it.
    await expect(
      records.recordExerciseAttempt(db, bob, {
        lessonId: "01-o-que-e-docker",
        exerciseId: "processos-isolados",
        passed: true,
        message: "x",
        durationMs: 1,
        trigger: "auto",
        sandboxId: "sb-alice-1",
      }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(records.addTerminalRecording(db, bob, { sandboxId: "sb-alice-1", terminalId: "t2", path: "/x" })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(records.endSandboxSession(db, bob, "sb-alice-1", "stolen")).rejects.toBeInstanceOf(ForbiddenError);

    await records.endSandboxSession(db, alice, "sb-alice-1", "idle");
    expect(await records.findOpenSandboxSession(db, alice)).toBeNull();
    const session = await db.sandboxSession.findUnique({
      where: { sandboxId: "sb-alice-1" },
      include: { recordings: true, attempts: true },
    });
    expect(session).toMatchObject({
      endReason: "idle",
      recordings: [{ terminalId: "t1", bytes: 1234 }],
      attempts: [{ exerciseId: "processos-isolados" }],
    });
  });

  it("keeps the line a learner waits in across an app restart (another client on the same file), per learner", async () => {
    expect(await records.findQueuePlace(db, alice)).toBeUndefined();
    await records.setQueuePlace(db, alice, "runner-b");
    await records.setQueuePlace(db, bob, "runner-a");
    // A restarted app: a new Prisma client on the same database file.
    const again = createDb(path.join(dir, "app.db"));
    try {
      expect(await records.findQueuePlace(again, alice)).toBe("runner-b");
      await records.setQueuePlace(again, alice, "runner-c"); // placed in another line: replaced, not added
      expect(await records.findQueuePlace(db, alice)).toBe("runner-c");
      await records.setQueuePlace(again, alice, undefined); // got a sandbox: forgotten
      expect(await records.findQueuePlace(db, alice)).toBeUndefined();
      expect(await records.findQueuePlace(again, bob)).toBe("runner-a");
    } finally {
      await again.$disconnect();
    }
    await expect(records.setQueuePlace(db, alice, "no spaces allowed")).rejects.toThrow(/not a runner name/);
    expect(await records.findQueuePlace(db, alice)).toBeUndefined();
  });

  it("refuses malformed ids before they reach the database", async () => {
    await expect(records.recordQuizAnswer(db, alice, { lessonId: "../etc", questionId: "q", choice: "0", correct: true })).rejects.toThrow(
      /lessonId/,
    );
    await expect(records.recordHintOpened(db, alice, { lessonId: "01-a", exerciseId: "e", index: -1 })).rejects.toThrow(/hint index/);
  });
});

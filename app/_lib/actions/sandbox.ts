"use server";

import { headers } from "next/headers";
import { after } from "next/server";
import type { Exercise } from "@content/lib/load";
import { z } from "zod";
import { getLessonById } from "../content";
import { describeIssue, plainId } from "../security/validate";
import { requestAddress, takeSandboxAllowance } from "../security/sandbox-quota";
import {
  endMySandboxSession,
  findMyOpenSandboxSession,
  findMyQueuePlace,
  setMyQueuePlace,
  getMyLessonRecords,
  OutboxFullError,
  requireViewer,
  startMySandboxSession,
  type Viewer,
} from "../dal";
import { getMyLessonAttempts, readLessonCheckState } from "../dal/attempts";
import { attemptOutbox, recordAttemptDurably } from "../dal/outbox-attempts";
import { progressAfter, type ExerciseProgress } from "../checks/progress";
import { ownsSandboxAs } from "../dal/claim";
import { db } from "../db";
import { sendMyLtiScores } from "../lti";
import type { RunnerEndpoint } from "../fleet/config";
import { ensureOnFleet } from "../fleet/ensure";
import {
  SandboxProblem,
  actionError,
  checkMessage,
  checkScript,
  fleet,
  learnerToken,
  runnerApiOn,
  runnerNamed,
  runnerWsUrlOf,
  sandboxLang,
  toProblem,
  setupOnceScript,
  type ExecResult,
  type SandboxActionError,
} from "../runner";
import type { SetupStep } from "@contract/types";

/**
 * Server actions of the lesson page's interactive side: the learner's sandbox (get or create, reset),
 * exercise Checks (recorded as ExerciseAttempt) and the lesson's progress for a reload
 * (hints and solutions are recorded by ./learning.ts). Failures come back as
 * `{ ok: false, code, message }` (Next.js hides thrown errors' messages in production).
 */

export type { SandboxErrorCode } from "../runner";
export type ActionError = SandboxActionError;

export type OpenSandboxResult =
  | {
      ok: true;
      sandboxId: string;
      runnerWsUrl: string;
      token: string;
      tokenExpiresAt: number;
      /** Terminals the runner still has for this sandbox (tabs to reattach to). */
      terminals: string[];
      maxTerminals: number;
      /** "expired": the previous sandbox was gone and a fresh one was created; "moved": its runner was gone. */
      notice?: "expired" | "moved";
      /** A new sandbox only: the learner's files from their last one were restored, or why they were not kept. */
      savedWork?: SavedWork;
    }
  | ActionError;

/** What the runner says of the learner's saved work when it creates their sandbox (ISO times). */
export interface SavedWork {
  restoredFrom?: string;
  notKept?: { at: string; reason: "too-big" | "quota" | "failed"; limitMb?: number };
}

export type { ExerciseProgress };

/** `saveNotice` "kept": the database could not take an attempt right now; it was kept on disk and lands later. */
export type RunChecksResult =
  { ok: true; sandboxId: string; notice?: "expired" | "moved"; saveNotice?: "kept"; results: ExerciseProgress[] } | ActionError;
export type ProgressResult = { ok: true; results: ExerciseProgress[] } | ActionError;

// ---------- helpers (not exported: a "use server" file exports only actions) ----------

/** Arguments come from the browser: each is parsed (zod) before anything uses it. */
const triggerArg = z.enum(["auto", "manual"], { error: 'trigger must be "auto" or "manual"' });
const localeArg = z.enum(["pt-BR", "en"], { error: 'locale must be "pt-BR" or "en"' });

function parseArg<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new SandboxProblem("invalid-input", describeIssue(r.error));
  return r.data;
}

async function lessonExercises(lessonId: string): Promise<Exercise[]> {
  parseArg(plainId("lessonId"), lessonId);
  const lesson = await getLessonById(lessonId);
  if (!lesson) throw new SandboxProblem("not-found", `There is no lesson ${JSON.stringify(lessonId)}: open it again from the course map.`);
  return lesson.exercises;
}

function fail(e: unknown): ActionError {
  const r = e instanceof OutboxFullError ? actionError(new SandboxProblem("storage-full", e.message)) : actionError(e);
  // The detail goes to the server log; the page words the code in the learner's language. A place
  // in line is no failure: the page asks every few seconds, and the log would fill with it.
  if (r.code !== "queued") console.error(`[sandbox] ${r.code}: ${(e as Error)?.message ?? String(e)}`);
  return r;
}

// One get-or-create at a time per learner: the terminal and the checklist may ask at once.
const locks = new Map<string, Promise<unknown>>();
async function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve();
  const next = prev.catch(() => undefined).then(fn);
  locks.set(key, next);
  try {
    return await next;
  } finally {
    if (locks.get(key) === next) locks.delete(key);
  }
}

/**
 * What a lesson needs set up in the sandbox: its exercises' setup (once per sandbox, guarded by a
 * marker inside it too) and the learner's language (rewritten when it changes). The runner tracks
 * which ran, so this process keeps nothing per sandbox: a restarted app, or a second one, carries on.
 */
function setupSteps(exercises: Exercise[], locale?: string): SetupStep[] {
  const steps: SetupStep[] = [];
  // /etc/curso/lang: the shell's welcome and `curso` read it.
  if (locale) steps.push({ key: "lang", script: `printf '%s\n' ${sandboxLang(locale)} > /etc/curso/lang`, timeoutMs: 5000 });
  for (const ex of exercises)
    if (ex.scripts.setup?.trim())
      steps.push({ key: `setup:${ex.id}`, script: setupOnceScript(ex.id, ex.scripts.setup), timeoutMs: ex.timeoutMs });
  return steps;
}

interface Ensured {
  viewer: Viewer;
  /** The runner holding the sandbox (several runners: every later call goes there). */
  runner: RunnerEndpoint;
  /** The runner's owner of the sandbox: the viewer, or the guest they were before signing up. */
  owner: string;
  sandboxId: string;
  terminals: string[];
  maxTerminals: number;
  notice?: "expired" | "moved";
  savedWork?: SavedWork;
}

/**
 * userId → the sandbox a Check run goes to, its runner and the runner's owner of it, as ensureSandbox last found
 * them for a lesson (whose setup it ran): a Check then makes one call to the runner (which answers 404 when that sandbox is gone or
 * someone else's) instead of a DB lookup, a get and a terminal list first. Wrong only when the
 * sandbox is gone, and then the call says so and the full path runs.
 */
const checkTargets = new Map<string, { lessonId: string; sandboxId: string; owner: string; runner: RunnerEndpoint }>();

/**
 * The learner's sandbox: the one recorded in the DB if its runner still has it, else a new one on
 * a runner with room (a dead runner's learners get theirs elsewhere at once, notice "moved").
 */
async function ensureSandbox(lessonId: string, exercises: Exercise[], opts: { fresh?: boolean; locale?: string } = {}): Promise<Ensured> {
  const viewer = await requireViewer();
  const e = await findOrCreateSandbox(viewer, lessonId, exercises, opts);
  checkTargets.set(viewer.userId, { lessonId, sandboxId: e.sandboxId, owner: e.owner, runner: e.runner });
  return e;
}

async function findOrCreateSandbox(
  viewer: Viewer,
  lessonId: string,
  exercises: Exercise[],
  opts: { fresh?: boolean; locale?: string },
): Promise<Ensured> {
  return serialized(viewer.userId, async () => {
    const open = await findMyOpenSandboxSession();
    const e = await ensureOnFleet(
      {
        registry: fleet(),
        api: runnerApiOn,
        isDown: (err) => toProblem(err).code === "runner-down",
        ownsAs: (owner) => ownsSandboxAs(db(), owner, viewer.userId),
        endSession: (sandboxId, reason) => endMySandboxSession(sandboxId, reason),
        startSession: async (sandboxId, runner) => {
          await startMySandboxSession({ sandboxId, lessonId, runner });
        },
        beforeCreate: async () => takeSandboxAllowance(viewer, requestAddress(await headers())),
        legacyRunner: runnerNamed(null).name,
        isQueued: (err) => toProblem(err).code === "queued",
        // In the database, not this process: a restarted app asks the same runner, which kept the place.
        waitingOn: { get: findMyQueuePlace, set: setMyQueuePlace },
      },
      { owner: viewer.userId, ...(opts.locale ? { lang: sandboxLang(opts.locale) } : {}), fresh: opts.fresh, open },
    );
    const { created, ...rest } = e;
    const savedWork =
      created?.restoredFrom || created?.notKept ? { restoredFrom: created.restoredFrom, notKept: created.notKept } : undefined;
    // The lesson's setup and language on the sandbox's own runner, which tracks what ran (this
    // process keeps nothing per sandbox); its answer also says the runner's limits.
    const r = await runnerApiOn(e.runner).ensure({
      owner: e.owner,
      sandboxId: e.sandboxId,
      ...(opts.locale ? { lang: sandboxLang(opts.locale) } : {}),
      setup: setupSteps(exercises, opts.locale),
    });
    for (const s of r.setup)
      if (s.exitCode !== 0) console.error(`[sandbox] setup ${s.key} in ${r.sandbox.id} exited ${s.exitCode}: ${s.output.slice(0, 500)}`);
    if (r.sandbox.id !== e.sandboxId) {
      // It ended between the two calls: the runner made a fresh one for the same owner.
      await endMySandboxSession(e.sandboxId, "expired");
      await startMySandboxSession({ sandboxId: r.sandbox.id, lessonId, runner: e.runner.name });
      return {
        viewer,
        ...rest,
        sandboxId: r.sandbox.id,
        terminals: r.terminals.map((t) => t.id),
        maxTerminals: r.limits.terminalsPerSandbox,
        notice: "expired",
      };
    }
    return { viewer, ...rest, maxTerminals: r.limits.terminalsPerSandbox, ...(savedWork ? { savedWork } : {}) };
  });
}

async function connection(e: Ensured): Promise<Extract<OpenSandboxResult, { ok: true }>> {
  // The runner checks the token's subject against the owner it knows (a claimed guest's id).
  const { token, expiresAt } = await learnerToken(e.owner, e.sandboxId, e.runner.name);
  const host = (await headers()).get("host");
  return {
    ok: true,
    sandboxId: e.sandboxId,
    runnerWsUrl: runnerWsUrlOf(e.runner, host),
    token,
    tokenExpiresAt: expiresAt,
    terminals: e.terminals,
    maxTerminals: e.maxTerminals,
    ...(e.notice ? { notice: e.notice } : {}),
    ...(e.savedWork ? { savedWork: e.savedWork } : {}),
  };
}

async function progress(lessonId: string, exercises: Exercise[]): Promise<Map<string, ExerciseProgress>> {
  const [rec, attempts] = await Promise.all([getMyLessonRecords(lessonId), getMyLessonAttempts(lessonId)]);
  const passed = new Set(rec.passedExerciseIds);
  const solutions = new Set(rec.solutionsOpened);
  return new Map(
    exercises.map((ex) => [
      ex.id,
      {
        exerciseId: ex.id,
        passed: passed.has(ex.id),
        checked: passed.has(ex.id) || (attempts[ex.id]?.failedChecks ?? 0) > 0,
        message: passed.has(ex.id) ? "" : (attempts[ex.id]?.lastMessage ?? ""),
        failedChecks: attempts[ex.id]?.failedChecks ?? 0,
        passedAt: attempts[ex.id]?.passedAt ?? null,
        hintsShown: (rec.hintsOpened[ex.id] ?? []).length,
        solutionShown: solutions.has(ex.id),
      },
    ]),
  );
}

// ---------- actions ----------

/** Gets or creates the learner's sandbox, prepares the lesson's exercises, and mints a WebSocket token. */
export async function openSandbox(lessonId: string, locale: string): Promise<OpenSandboxResult> {
  try {
    parseArg(localeArg, locale);
    const exercises = await lessonExercises(lessonId);
    return await connection(await ensureSandbox(lessonId, exercises, { locale }));
  } catch (err) {
    return fail(err);
  }
}

/** Destroys the learner's sandbox and creates a fresh one (the UI asks for confirmation first). */
export async function resetSandbox(lessonId: string, locale: string): Promise<OpenSandboxResult> {
  try {
    parseArg(localeArg, locale);
    const exercises = await lessonExercises(lessonId);
    return await connection(await ensureSandbox(lessonId, exercises, { fresh: true, locale }));
  } catch (err) {
    return fail(err);
  }
}

/**
 * userId → the attempt writes of that learner's last Check run. They run after its answer went out
 * (the checklist does not wait for the database); the next run waits for them before it reads, so
 * it sees them, and tells the learner if they could only be kept in the outbox or not saved at all.
 */
const pendingWrites = new Map<string, Promise<"db" | "kept" | { failed: unknown }>>();

/**
 * Runs the Checks of the lesson's exercises not passed yet (a pass is kept: progress only grows),
 * with COURSE_LANG set to the learner's language, and records each as an ExerciseAttempt. One call
 * to the runner per trigger (every due Check in one exec), one round of reads of the lesson's rows.
 */
export async function runChecks(lessonId: string, trigger: "auto" | "manual", locale: string): Promise<RunChecksResult> {
  try {
    parseArg(localeArg, locale);
    const t = parseArg(triggerArg, trigger);
    const lang = sandboxLang(locale);
    const exercises = await lessonExercises(lessonId);
    const viewer = await requireViewer();
    const ids = exercises.map((ex) => ex.id);
    const pending = pendingWrites.get(viewer.userId);
    const last = await pending;
    if (pending && pendingWrites.get(viewer.userId) === pending) pendingWrites.delete(viewer.userId);
    if (last && typeof last === "object" && last.failed instanceof OutboxFullError) throw last.failed;
    const kept = last === "kept";
    const before = await readLessonCheckState(db(), viewer, lessonId);
    const passedBefore = new Set(before.attempts.filter((a) => a.passed).map((a) => a.exerciseId));
    const todo = exercises.filter((ex) => !passedBefore.has(ex.id));
    let notice: "expired" | "moved" | undefined;
    let sandboxId = checkTargets.get(viewer.userId)?.sandboxId;
    let runs: { ex: Exercise; r: ExecResult; passed: boolean; message: string }[] = [];
    for (let attempt = 0; ; attempt++) {
      let target = checkTargets.get(viewer.userId);
      if (!target || target.lessonId !== lessonId) {
        const e = await ensureSandbox(lessonId, exercises, { locale });
        notice ??= e.notice;
        target = { lessonId, sandboxId: e.sandboxId, owner: e.owner, runner: e.runner };
      }
      sandboxId = target.sandboxId;
      if (todo.length === 0) break;
      try {
        const { results } = await runnerApiOn(target.runner).runChecks(
          target.sandboxId,
          todo.map((ex) => ({ id: ex.id, script: checkScript(ex.scripts.check, lang), timeoutMs: ex.timeoutMs })),
          { owner: target.owner },
        );
        runs = todo.map((ex, i) => {
          const r = results[i]!;
          return { ex, r, passed: r.exitCode === 0 && !r.timedOut, message: checkMessage(r, lang) };
        });
        break;
      } catch (err) {
        // The sandbox this learner had is gone (idle, expired, runner restarted), or its runner is
        // (then ensureSandbox makes a fresh one elsewhere, "moved"): find or make theirs once more.
        const code = toProblem(err).code;
        if (attempt > 0 || (code !== "expired" && code !== "runner-down")) throw err;
        checkTargets.delete(viewer.userId);
      }
    }
    const write = async (): Promise<"db" | "kept" | { failed: unknown }> => {
      let kept = false;
      try {
        for (const { ex, r, passed, message } of runs) {
          const saved = await recordAttemptDurably(db(), attemptOutbox(), viewer.userId, {
            lessonId,
            exerciseId: ex.id,
            passed,
            message,
            durationMs: r.durationMs,
            trigger: t,
            sandboxId: sandboxId!,
          });
          kept ||= saved.saved === "kept";
        }
        return kept ? "kept" : "db";
      } catch (e) {
        console.error(`[sandbox] Check attempts of ${viewer.userId} not saved: ${(e as Error)?.message ?? String(e)}`);
        return { failed: e };
      }
    };
    if (runs.length > 0) {
      let done!: (v: "db" | "kept" | { failed: unknown }) => void;
      const writing = new Promise<"db" | "kept" | { failed: unknown }>((r) => (done = r));
      pendingWrites.set(viewer.userId, writing);
      after(async () => {
        const outcome = await write();
        done(outcome);
        // A pass changes the learner's score in any LMS gradebook column (LTI), sent once it is recorded.
        if (typeof outcome === "string" && runs.some((r) => r.passed)) await sendMyLtiScores();
        // Only what the next run must tell the learner stays.
        if (outcome === "db" && pendingWrites.get(viewer.userId) === writing) pendingWrites.delete(viewer.userId);
      });
    }
    const results = progressAfter(
      ids,
      before,
      runs.map(({ ex, passed, message }) => ({ exerciseId: ex.id, passed, message })),
      t,
      new Date(),
    );
    return {
      ok: true,
      sandboxId: sandboxId!,
      ...(notice ? { notice } : {}),
      ...(kept ? { saveNotice: "kept" as const } : {}),
      results,
    };
  } catch (err) {
    return fail(err);
  }
}

/** What the learner already did in this lesson (passes, hints, solutions), for a page (re)load. */
export async function loadProgress(lessonId: string): Promise<ProgressResult> {
  try {
    const exercises = await lessonExercises(lessonId);
    return { ok: true, results: [...(await progress(lessonId, exercises)).values()] };
  } catch (err) {
    return fail(err);
  }
}

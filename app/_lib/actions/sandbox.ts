"use server";

import { headers } from "next/headers";
import type { Exercise } from "@content/lib/load";
import { z } from "zod";
import { getLessonById } from "../content";
import { describeIssue, plainId } from "../security/validate";
import { requestAddress, takeSandboxAllowance } from "../security/sandbox-quota";
import {
  endMySandboxSession,
  findMyOpenSandboxSession,
  getMyLessonRecords,
  KEPT_MESSAGES,
  OutboxFullError,
  recordMyExerciseAttempt,
  requireViewer,
  startMySandboxSession,
  type Viewer,
} from "../dal";
import { getMyLessonAttempts } from "../dal/attempts";
import { ownsSandboxAs } from "../dal/claim";
import { db } from "../db";
import {
  SandboxProblem,
  actionError,
  checkMessage,
  checkScript,
  learnerToken,
  runnerApi,
  runnerWsUrl,
  sandboxLang,
  setupOnceScript,
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
      /** "expired": the previous sandbox was gone and a fresh one was created. */
      notice?: "expired";
    }
  | ActionError;

export interface ExerciseProgress {
  exerciseId: string;
  passed: boolean;
  /**
   * The learner tried it: a Check they asked for failed, or it passed. Automatic Checks that fail
   * say nothing about an exercise the learner has not started, so they leave this false.
   */
  checked: boolean;
  /** The last failed Check's message once tried (kept across reloads from the attempts), else "". */
  message: string;
  /** Failed Checks the learner asked for before a pass, from the recorded attempts (survives reloads). */
  failedChecks: number;
  /** ISO time of the first passing Check, null while not passed. */
  passedAt: string | null;
  hintsShown: number;
  solutionShown: boolean;
}

/** `saveNotice`: the database could not take an attempt right now; it was kept on disk and lands later. */
export type RunChecksResult =
  { ok: true; sandboxId: string; notice?: "expired"; saveNotice?: string; results: ExerciseProgress[] } | ActionError;
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

function fail(e: unknown, locale: string): ActionError {
  const r = e instanceof OutboxFullError ? actionError(new SandboxProblem("storage-full", e.message), locale) : actionError(e, locale);
  // The detail goes to the server log; the learner gets a message in their language.
  console.error(`[sandbox] ${r.code}: ${(e as Error)?.message ?? String(e)}`);
  return r;
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
  /** The runner's owner of the sandbox: the viewer, or the guest they were before signing up. */
  owner: string;
  sandboxId: string;
  terminals: string[];
  maxTerminals: number;
  notice?: "expired";
}

/**
 * The learner's sandbox in one runner call: the one recorded in the DB if the runner still has it
 * (and it is theirs), else theirs on the runner, else a new one; the lesson's setup done.
 */
async function ensureSandbox(lessonId: string, exercises: Exercise[], opts: { fresh?: boolean; locale?: string } = {}): Promise<Ensured> {
  const viewer = await requireViewer();
  const api = runnerApi();
  const open = await findMyOpenSandboxSession();
  // A new sandbox is likely: the guests' per-address allowance is taken first.
  if (!open || opts.fresh) await takeSandboxAllowance(viewer, requestAddress(await headers()));
  const req = {
    owner: viewer.userId,
    lang: opts.locale ? sandboxLang(opts.locale) : undefined,
    setup: setupSteps(exercises, opts.locale),
    ...(opts.fresh ? { fresh: true } : {}),
  };
  let r = await api.ensure({ ...req, ...(open ? { sandboxId: open.sandboxId } : {}) });
  if (!(await ownsSandboxAs(db(), r.sandbox.owner, viewer.userId))) r = await api.ensure(req); // not theirs: their own
  for (const s of r.setup)
    if (s.exitCode !== 0) console.error(`[sandbox] setup ${s.key} in ${r.sandbox.id} exited ${s.exitCode}: ${s.output.slice(0, 500)}`);
  let notice: "expired" | undefined;
  if (open?.sandboxId !== r.sandbox.id) {
    if (open) {
      await endMySandboxSession(open.sandboxId, opts.fresh ? "reset" : "expired");
      if (!opts.fresh) notice = "expired";
    }
    await startMySandboxSession({ sandboxId: r.sandbox.id, lessonId });
  }
  return {
    viewer,
    owner: r.sandbox.owner,
    sandboxId: r.sandbox.id,
    terminals: r.terminals.map((t) => t.id),
    maxTerminals: r.limits.terminalsPerSandbox,
    ...(notice ? { notice } : {}),
  };
}

async function connection(e: Ensured): Promise<Extract<OpenSandboxResult, { ok: true }>> {
  // The runner checks the token's subject against the owner it knows (a claimed guest's id).
  const { token, expiresAt } = await learnerToken(e.owner, e.sandboxId);
  const host = (await headers()).get("host");
  return {
    ok: true,
    sandboxId: e.sandboxId,
    runnerWsUrl: runnerWsUrl(host),
    token,
    tokenExpiresAt: expiresAt,
    terminals: e.terminals,
    maxTerminals: e.maxTerminals,
    ...(e.notice ? { notice: e.notice } : {}),
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
    return fail(err, locale);
  }
}

/** Destroys the learner's sandbox and creates a fresh one (the UI asks for confirmation first). */
export async function resetSandbox(lessonId: string, locale: string): Promise<OpenSandboxResult> {
  try {
    parseArg(localeArg, locale);
    const exercises = await lessonExercises(lessonId);
    return await connection(await ensureSandbox(lessonId, exercises, { fresh: true, locale }));
  } catch (err) {
    return fail(err, locale);
  }
}

/**
 * Runs the Checks of the lesson's exercises not passed yet (a pass is kept: progress only grows),
 * with COURSE_LANG set to the learner's language, and records each as an ExerciseAttempt.
 */
export async function runChecks(lessonId: string, trigger: "auto" | "manual", locale: string): Promise<RunChecksResult> {
  try {
    parseArg(localeArg, locale);
    const t = parseArg(triggerArg, trigger);
    const exercises = await lessonExercises(lessonId);
    const e = await ensureSandbox(lessonId, exercises, { locale });
    const state = await progress(lessonId, exercises);
    const todo = exercises.filter((ex) => !state.get(ex.id)?.passed);
    const runs = await Promise.all(
      todo.map(async (ex) => {
        const r = await runnerApi().exec(e.sandboxId, checkScript(ex.scripts.check, sandboxLang(locale)), { timeoutMs: ex.timeoutMs });
        return { ex, r, passed: r.exitCode === 0 && !r.timedOut, message: checkMessage(r, sandboxLang(locale)) };
      }),
    );
    let kept = false;
    for (const { ex, r, passed, message } of runs) {
      const saved = await recordMyExerciseAttempt({
        lessonId,
        exerciseId: ex.id,
        passed,
        message,
        durationMs: r.durationMs,
        trigger: t,
        sandboxId: e.sandboxId,
      });
      kept ||= saved.saved === "kept";
    }
    // Counts and pass times come back from what was just recorded, so the page and the DB agree.
    const after = runs.length ? await progress(lessonId, exercises) : state;
    for (const { ex, passed, message } of runs) {
      const p = after.get(ex.id)!;
      // A failing automatic Check does not mark an exercise the learner has not tried (it stays neutral).
      const tried = passed || t === "manual" || p.checked;
      Object.assign(p, { passed: p.passed || passed, checked: tried, message: tried ? message : "" });
    }
    return {
      ok: true,
      sandboxId: e.sandboxId,
      ...(e.notice ? { notice: e.notice } : {}),
      ...(kept ? { saveNotice: KEPT_MESSAGES[sandboxLang(locale)] } : {}),
      results: [...after.values()],
    };
  } catch (err) {
    return fail(err, locale);
  }
}

/** What the learner already did in this lesson (passes, hints, solutions), for a page (re)load. */
export async function loadProgress(lessonId: string): Promise<ProgressResult> {
  try {
    const exercises = await lessonExercises(lessonId);
    return { ok: true, results: [...(await progress(lessonId, exercises)).values()] };
  } catch (err) {
    return fail(err, "pt-BR");
  }
}

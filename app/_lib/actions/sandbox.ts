"use server";

import { headers } from "next/headers";
import type { Exercise } from "@content/lib/load";
import { getLessonById } from "../content";
import {
  endMySandboxSession,
  findMyOpenSandboxSession,
  getMyLessonRecords,
  recordMyExerciseAttempt,
  requireViewer,
  startMySandboxSession,
  type Viewer,
} from "../dal";
import { SandboxProblem, toProblem, checkMessage, checkScript, learnerToken, runnerApi, runnerWsUrl, setupOnceScript, type SandboxErrorCode } from "../runner";

/**
 * Server actions of the lesson page's interactive side: the learner's sandbox (get or create, reset),
 * exercise Checks (recorded as ExerciseAttempt) and the lesson's progress for a reload
 * (hints and solutions are recorded by ./learning.ts). Failures come back as
 * `{ ok: false, code, message }` (Next.js hides thrown errors' messages in production).
 */

export type { SandboxErrorCode } from "../runner";
export interface ActionError {
  ok: false;
  code: SandboxErrorCode;
  message: string;
}

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
  /** At least one Check ran (this visit) or the exercise passed earlier. */
  checked: boolean;
  message: string;
  failedChecks: number;
  hintsShown: number;
  solutionShown: boolean;
}

export type RunChecksResult = { ok: true; sandboxId: string; notice?: "expired"; results: ExerciseProgress[] } | ActionError;
export type ProgressResult = { ok: true; results: ExerciseProgress[] } | ActionError;

// ---------- helpers (not exported: a "use server" file exports only actions) ----------

async function lessonExercises(lessonId: string): Promise<Exercise[]> {
  if (typeof lessonId !== "string") throw new SandboxProblem("not-found", "lessonId must be a string");
  const lesson = await getLessonById(lessonId);
  if (!lesson) throw new SandboxProblem("not-found", `There is no lesson ${JSON.stringify(lessonId)}: open it again from the course map.`);
  return lesson.exercises;
}

const MESSAGES: Record<"pt-BR" | "en", Record<SandboxErrorCode, string>> = {
  "pt-BR": {
    "runner-down": "O serviço de sandboxes não responde. Ele pode estar reiniciando: tente de novo em alguns segundos. Seu progresso está salvo.",
    capacity: "Todos os sandboxes estão ocupados agora. Tente de novo em um minuto; seu progresso está salvo.",
    expired: "Seu sandbox anterior expirou; um novo foi criado.",
    unauthorized: "O serviço de sandboxes recusou a identificação do app. Recarregue a página; se continuar, avise quem administra o curso.",
    "not-found": "Esta lição não existe mais. Volte ao mapa do curso.",
    unknown: "Algo deu errado com o sandbox. Tente de novo.",
  },
  en: {
    "runner-down": "The sandbox service is not answering. It may be restarting: try again in a few seconds. Your progress is saved.",
    capacity: "All sandboxes are busy right now. Try again in a minute; your progress is saved.",
    expired: "Your previous sandbox expired; a fresh one was created.",
    unauthorized: "The sandbox service refused the app's credentials. Reload the page; if it persists, tell the course administrator.",
    "not-found": "This lesson no longer exists. Go back to the course map.",
    unknown: "Something went wrong with the sandbox. Try again.",
  },
};

function lang(locale: string): "pt-BR" | "en" {
  return locale === "en" ? "en" : "pt-BR";
}

function fail(e: unknown, locale: string): ActionError {
  const code: SandboxErrorCode = toProblem(e).code;
  // The detail goes to the server log; the learner gets a message in their language.
  console.error(`[sandbox] ${code}: ${(e as Error)?.message ?? String(e)}`);
  return { ok: false, code, message: MESSAGES[lang(locale)][code] };
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

// Setup already done, per sandbox (the in-sandbox marker is the real guard; this saves an exec).
const setupDone = new Set<string>();

async function ensureSetup(sandboxId: string, exercises: Exercise[]): Promise<void> {
  for (const ex of exercises) {
    const key = `${sandboxId}:${ex.id}`;
    if (setupDone.has(key) || !ex.scripts.setup?.trim()) continue;
    const r = await runnerApi().exec(sandboxId, setupOnceScript(ex.id, ex.scripts.setup), { timeoutMs: ex.timeoutMs });
    if (r.exitCode !== 0) console.error(`[sandbox] setup of ${ex.id} in ${sandboxId} exited ${r.exitCode}: ${r.output.slice(0, 500)}`);
    else setupDone.add(key);
  }
}

interface Ensured {
  viewer: Viewer;
  sandboxId: string;
  terminals: string[];
  notice?: "expired";
}

/** The learner's sandbox: the one recorded in the DB if the runner still has it, else a new one. */
async function ensureSandbox(lessonId: string, opts: { fresh?: boolean } = {}): Promise<Ensured> {
  const viewer = await requireViewer();
  return serialized(viewer.userId, async () => {
    const api = runnerApi();
    const open = await findMyOpenSandboxSession();
    let notice: "expired" | undefined;
    if (open) {
      if (opts.fresh) {
        await api.destroySandbox(open.sandboxId);
        await endMySandboxSession(open.sandboxId, "reset");
      } else {
        const info = await api.getSandbox(open.sandboxId);
        if (info && info.owner === viewer.userId && info.state !== "stopping" && info.state !== "gone") {
          const terminals = (await api.listTerminals(info.id)).map((t) => t.id);
          return { viewer, sandboxId: info.id, terminals };
        }
        await endMySandboxSession(open.sandboxId, "expired");
        notice = "expired";
      }
    }
    const created = await api.createSandbox(viewer.userId);
    await startMySandboxSession({ sandboxId: created.id, lessonId });
    return { viewer, sandboxId: created.id, terminals: [], ...(notice ? { notice } : {}) };
  });
}

async function connection(e: Ensured): Promise<Extract<OpenSandboxResult, { ok: true }>> {
  const { token, expiresAt } = await learnerToken(e.viewer.userId, e.sandboxId);
  const host = (await headers()).get("host");
  const max = Number(process.env.TERMINALS_PER_SANDBOX) || 4;
  return { ok: true, sandboxId: e.sandboxId, runnerWsUrl: runnerWsUrl(host), token, tokenExpiresAt: expiresAt, terminals: e.terminals, maxTerminals: max, ...(e.notice ? { notice: e.notice } : {}) };
}

async function progress(lessonId: string, exercises: Exercise[]): Promise<Map<string, ExerciseProgress>> {
  const rec = await getMyLessonRecords(lessonId);
  const passed = new Set(rec.passedExerciseIds);
  const solutions = new Set(rec.solutionsOpened);
  return new Map(
    exercises.map((ex) => [
      ex.id,
      {
        exerciseId: ex.id,
        passed: passed.has(ex.id),
        checked: passed.has(ex.id),
        message: "",
        failedChecks: 0,
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
    const exercises = await lessonExercises(lessonId);
    const e = await ensureSandbox(lessonId);
    await ensureSetup(e.sandboxId, exercises);
    return await connection(e);
  } catch (err) {
    return fail(err, locale);
  }
}

/** Destroys the learner's sandbox and creates a fresh one (the UI asks for confirmation first). */
export async function resetSandbox(lessonId: string, locale: string): Promise<OpenSandboxResult> {
  try {
    const exercises = await lessonExercises(lessonId);
    const e = await ensureSandbox(lessonId, { fresh: true });
    await ensureSetup(e.sandboxId, exercises);
    return await connection(e);
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
    const exercises = await lessonExercises(lessonId);
    const t = trigger === "manual" ? "manual" : "auto";
    const e = await ensureSandbox(lessonId);
    await ensureSetup(e.sandboxId, exercises);
    const state = await progress(lessonId, exercises);
    const todo = exercises.filter((ex) => !state.get(ex.id)?.passed);
    const runs = await Promise.all(
      todo.map(async (ex) => {
        const r = await runnerApi().exec(e.sandboxId, checkScript(ex.scripts.check, lang(locale)), { timeoutMs: ex.timeoutMs });
        return { ex, r, passed: r.exitCode === 0 && !r.timedOut, message: checkMessage(r, lang(locale)) };
      }),
    );
    for (const { ex, r, passed, message } of runs) {
      await recordMyExerciseAttempt({ lessonId, exerciseId: ex.id, passed, message, durationMs: r.durationMs, trigger: t, sandboxId: e.sandboxId });
      const p = state.get(ex.id)!;
      Object.assign(p, { passed, checked: true, message, failedChecks: p.failedChecks + (passed ? 0 : 1) });
    }
    return { ok: true, sandboxId: e.sandboxId, ...(e.notice ? { notice: e.notice } : {}), results: [...state.values()] };
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

"use server";

import { createHash } from "node:crypto";
import os from "node:os";
import { z } from "zod";
import { getCourse, getLessonById } from "../content";
import { describeIssue, exerciseIn } from "../security/validate";
import { getMyLessonRecords, getViewer, recordMyHintOpened, recordMyLessonVisit, recordMyQuizAnswer, recordMySolutionOpened } from "../dal";

/**
 * Server actions of the reading experience (quiz, visits, hints, solutions). Arguments come from
 * the browser, so each is parsed; quiz correctness is decided here from the content, never trusted
 * from the client. Identity is established inside the data-access layer.
 */
export type ActionResult<T = undefined> = ({ ok: true } & (T extends undefined ? unknown : { value: T })) | { ok: false; message: string };

const id = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/);

function failure(err: unknown): { ok: false; message: string } {
  // Bad input is the caller's mistake: say which argument, without a stack in the server log.
  if (err instanceof z.ZodError) return { ok: false, message: `invalid input: ${describeIssue(err)}` };
  console.error("[learning action]", err);
  return { ok: false, message: err instanceof Error ? err.message : String(err) };
}

export async function answerQuiz(lessonId: string, questionId: string, choiceIndex: number): Promise<ActionResult<{ correct: boolean }>> {
  try {
    const args = z.tuple([id, id, z.number().int().min(0).max(9)]).parse([lessonId, questionId, choiceIndex]);
    const lesson = await getLessonById(args[0]);
    if (!lesson) return { ok: false, message: `lesson ${args[0]} does not exist` };
    // Quiz ids and choice order are the same in every language (the content loader checks ids).
    const question = lesson.content["pt-BR"].quiz.find((q) => q.id === args[1]);
    const choice = question?.choices[args[2]];
    if (!question || !choice) return { ok: false, message: `question ${args[1]} has no choice ${args[2]} in lesson ${args[0]}` };
    await recordMyQuizAnswer({ lessonId: args[0], questionId: args[1], choice: String(args[2]), correct: choice.correct });
    return { ok: true, value: { correct: choice.correct } };
  } catch (err) {
    return failure(err);
  }
}

/**
 * The learner's latest answer per question (questionId → choice index in the content) and the seed
 * their choice order is shuffled with (a hash of their id: stable for them, different for the next).
 */
export async function myQuizAnswers(lessonId: string): Promise<ActionResult<{ answers: Record<string, number>; orderSeed: string }>> {
  try {
    const records = await getMyLessonRecords(id.parse(lessonId));
    const viewer = await getViewer();
    const orderSeed = createHash("sha256")
      .update(`quiz-order:${viewer?.userId ?? "first-visit"}`)
      .digest("hex")
      .slice(0, 16);
    const answers = Object.fromEntries(Object.entries(records.quizAnswers).map(([q, a]) => [q, Number(a.choice)]));
    return { ok: true, value: { answers, orderSeed } };
  } catch (err) {
    return failure(err);
  }
}

export async function recordVisit(lessonId: string): Promise<ActionResult> {
  try {
    const lid = id.parse(lessonId);
    if (!(await getLessonById(lid))) return { ok: false, message: `lesson ${lid} does not exist` };
    await recordMyLessonVisit(lid);
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

export async function openHint(lessonId: string, exerciseId: string, index: number): Promise<ActionResult> {
  try {
    const [l, e, i] = z.tuple([id, id, z.number().int().min(0).max(99)]).parse([lessonId, exerciseId, index]);
    exerciseIn(await getCourse()).parse([l, e]); // only exercises the course has
    await recordMyHintOpened({ lessonId: l, exerciseId: e, index: i });
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

export async function openSolution(lessonId: string, exerciseId: string): Promise<ActionResult> {
  try {
    const [l, e] = z.tuple([id, id]).parse([lessonId, exerciseId]);
    exerciseIn(await getCourse()).parse([l, e]);
    await recordMySolutionOpened({ lessonId: l, exerciseId: e });
    return { ok: true };
  } catch (err) {
    return failure(err);
  }
}

/** The kernel the sandboxes run on (runner and app share the host), read at request time. */
export async function hostKernel(): Promise<string> {
  return `${os.type()} ${os.release()}`;
}

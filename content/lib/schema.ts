// Zod schemas for the course's data files: lesson.json, each MDX frontmatter and exercise.json.
// The shapes here are the contract with the app; load.ts turns validated files into a Course.
import { z } from "zod";

export const LOCALES = ["pt-BR", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "pt-BR";

const nonEmpty = z.string().trim().min(1, "must not be empty");
const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case kebab-case (a-z, 0-9, -)");

/** A text in every course language: a missing translation is an error, not a fallback. */
export const localized = z.strictObject({ "pt-BR": nonEmpty, en: nonEmpty });
export type Localized = z.infer<typeof localized>;

export const lessonMetaSchema = z.strictObject({
  /** Stable id, equal to the folder name (NN-slug); used in URLs of the API and progress records. */
  id: z.string().regex(/^\d{2}-[a-z0-9-]+$/, "must look like NN-slug (e.g. 01-o-que-e-docker)"),
  order: z.number().int().positive(),
  durationMinutes: z.number().int().positive().max(240),
  /** Localized URL slugs, e.g. { "pt-BR": "o-que-e-docker", en: "what-is-docker" }. */
  slugs: z.strictObject({ "pt-BR": kebab, en: kebab }),
  /** Exercise ids in the order the learner does them; each is a folder under exercises/. */
  exercises: z.array(kebab).min(2, "every lesson needs at least two exercises"),
});
export type LessonMeta = z.infer<typeof lessonMetaSchema>;

export const quizChoiceSchema = z.strictObject({
  text: nonEmpty,
  correct: z.boolean().default(false),
  /** Why this choice is right or wrong: shown after the learner answers. */
  explanation: nonEmpty,
});

export const quizQuestionSchema = z
  .strictObject({
    id: kebab,
    question: nonEmpty,
    /** "Predict the output": commands (and any output already known) shown as a code block above the choices. */
    code: nonEmpty.optional(),
    choices: z.array(quizChoiceSchema).min(2).max(6),
  })
  .refine((q) => q.choices.filter((c) => c.correct).length === 1, {
    message: "a quiz question needs exactly one choice with correct: true",
    path: ["choices"],
  })
  // Learners soon learn that the longest, most careful answer is the right one: a question where it
  // is fails the content check. Choices are shuffled per learner, so position gives nothing away.
  .refine((q) => !isStrictlyLongest(q.choices), {
    message: "the right choice is the longest one, which gives it away: shorten it, or make a distractor (a real misconception) as long",
    path: ["choices"],
  });

function isStrictlyLongest(choices: { text: string; correct: boolean }[]): boolean {
  const right = choices.find((c) => c.correct);
  return right !== undefined && choices.every((c) => c === right || c.text.length < right.text.length);
}
export type QuizQuestion = z.infer<typeof quizQuestionSchema>;

export const frontmatterSchema = z.strictObject({
  title: nonEmpty,
  summary: nonEmpty,
  quiz: z
    .array(quizQuestionSchema)
    .min(2, "every lesson needs at least two quiz questions")
    .refine((qs) => new Set(qs.map((q) => q.id)).size === qs.length, "quiz question ids must be unique")
    .refine(
      (qs) => qs.some((q) => q.code !== undefined),
      'every lesson needs at least one "predict the output" quiz question (a question with `code:` showing the commands)',
    ),
});
export type LessonFrontmatter = z.infer<typeof frontmatterSchema>;

export const exerciseMetaSchema = z.strictObject({
  id: kebab,
  title: localized,
  /** What the learner must achieve (Markdown). */
  goal: localized,
  /** Progressive hints, from a nudge to almost the answer. */
  hints: z.array(localized).min(1, "give at least one hint"),
  /** What the exercise proved, shown once the check passes (Markdown). */
  explanation: localized,
  /** Upper bound for each of setup/check/solution. */
  timeoutSeconds: z.number().int().positive().max(300).default(30),
});
export type ExerciseMeta = z.infer<typeof exerciseMetaSchema>;

/**
 * cheat.sh is never run for a learner: it writes the answers by hand without doing the task (what a
 * learner who read only the goal would type), and the integration test requires check.sh to reject it.
 */
export const SCRIPT_NAMES = ["setup", "check", "solution", "cheat"] as const;
export type ScriptName = (typeof SCRIPT_NAMES)[number];

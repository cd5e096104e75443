import { z } from "zod";

/**
 * Validators for what reaches the server from the browser (server action arguments, route
 * parameters). Ids are plain slugs — no "/", "\", "%", "..", leading dot or absolute path can pass —
 * and lesson/exercise ids must also name something in the course content, so nothing typed by a
 * visitor is ever used as a file path. Pure; the content is passed in.
 */
export const ID_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,127}$/;

/** A plain id: letters, digits, "_" and "-", starting with a letter or digit, at most 128. */
export const plainId = (what: string) =>
  z.string({ error: `${what} must be a string` }).regex(ID_PATTERN, `${what} must be letters, digits, "_" or "-" (at most 128)`);

/** True for values that try to leave a folder: "..", separators, encoded separators, absolute paths, NUL. */
export function looksLikeTraversal(v: string): boolean {
  let decoded = v;
  for (let i = 0; i < 3; i++) {
    try {
      const d = decodeURIComponent(decoded);
      if (d === decoded) break;
      decoded = d;
    } catch {
      return true; // malformed escapes are not ids
    }
  }
  return /(^|[\\/])\.\.([\\/]|$)|[\\/]|\0|^[a-zA-Z]:|^\.|%2e|%2f|%5c/i.test(decoded) || /%2e|%2f|%5c|%00/i.test(v);
}

export interface ContentIndex {
  lessons: readonly { id: string; slugs: Record<string, string>; exercises: readonly { id: string }[] }[];
}

/** A lesson id that exists in the content. */
export function lessonIdIn(content: ContentIndex) {
  return plainId("lessonId").refine((id) => content.lessons.some((l) => l.id === id), {
    message: "there is no such lesson: open it again from the course map",
  });
}

/** A (lessonId, exerciseId) pair where the exercise belongs to that lesson. */
export function exerciseIn(content: ContentIndex) {
  return z
    .tuple([plainId("lessonId"), plainId("exerciseId")])
    .refine(([l, e]) => content.lessons.find((x) => x.id === l)?.exercises.some((x) => x.id === e) ?? false, {
      message: "there is no such exercise in this lesson: reload the page",
    });
}

/** A lesson slug in a locale that exists in the content. */
export function lessonSlugIn(content: ContentIndex, locale: string) {
  return z
    .string()
    .max(200)
    .refine((s) => !looksLikeTraversal(s), { message: "a lesson slug is a single path segment" })
    .refine((s) => content.lessons.some((l) => l.slugs[locale] === s), { message: "there is no lesson with this address" });
}

/** The first problem in a zod error as one sentence for the learner or the API caller. */
export function describeIssue(e: z.ZodError): string {
  const i = e.issues[0];
  return i ? `${i.path.length ? i.path.join(".") + ": " : ""}${i.message}` : "invalid input";
}

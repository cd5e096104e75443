// Reads content/lessons, validates every file and returns the typed Course.
// Any problem (bad JSON/frontmatter, unknown component, missing script or translation)
// ends in one ContentError that names each broken file.
import { promises as fs } from "node:fs";
import path from "node:path";
import matter from "gray-matter";
import type { z } from "zod";
import {
  DEFAULT_LOCALE,
  LOCALES,
  SCRIPT_NAMES,
  exerciseMetaSchema,
  frontmatterSchema,
  lessonMetaSchema,
  type Locale,
  type Localized,
  type QuizQuestion,
  type ScriptName,
} from "./schema";
import { ContentError, type ContentIssue } from "./errors";
import { glossLine, unglossedWords } from "./glossary";
import { checkMdx } from "./mdx-check";

export { ContentError } from "./errors";
export type { ContentIssue } from "./errors";
export { LOCALES, DEFAULT_LOCALE } from "./schema";
export type { Locale, Localized, QuizQuestion } from "./schema";

export interface LessonContent {
  /** Absolute path of the .mdx file. */
  file: string;
  title: string;
  summary: string;
  quiz: QuizQuestion[];
  /** The MDX body without its frontmatter, ready for the app's MDX renderer. */
  source: string;
}

export interface Exercise {
  id: string;
  lessonId: string;
  dir: string;
  title: Localized;
  goal: Localized;
  hints: Localized[];
  explanation: Localized;
  timeoutMs: number;
  /** Script texts: the runner runs each with `bash -c`, as root, cwd /root, env COURSE_LANG. */
  scripts: Record<ScriptName, string>;
}

export interface Lesson {
  id: string;
  order: number;
  durationMinutes: number;
  slugs: Record<Locale, string>;
  dir: string;
  content: Record<Locale, LessonContent>;
  exercises: Exercise[];
}

export interface Course {
  locales: readonly Locale[];
  defaultLocale: Locale;
  /** Sorted by order. */
  lessons: Lesson[];
}

export function defaultContentDir(): string {
  return path.join(process.cwd(), "content");
}

/** Loads and validates the whole course. Throws ContentError listing every broken file. */
export async function loadCourse(opts: { contentDir?: string } = {}): Promise<Course> {
  const contentDir = path.resolve(opts.contentDir ?? defaultContentDir());
  const lessonsDir = path.join(contentDir, "lessons");
  const issues: ContentIssue[] = [];
  const rel = (p: string) => path.relative(process.cwd(), p) || p;
  const report = (file: string, message: string) => issues.push({ file: rel(file), message });

  let folders: string[];
  try {
    folders = (await fs.readdir(lessonsDir, { withFileTypes: true }))
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
  } catch {
    throw new ContentError([{ file: rel(lessonsDir), message: "lessons folder not found" }]);
  }
  if (folders.length === 0) report(lessonsDir, "no lessons found");

  const lessons: Lesson[] = [];
  for (const folder of folders) {
    const lesson = await loadLesson(path.join(lessonsDir, folder), folder, report);
    if (lesson) lessons.push(lesson);
  }

  lessons.sort((a, b) => a.order - b.order);
  // Cross-lesson rules: unique order, slugs and exercise ids.
  const seen = new Map<string, string>();
  const unique = (key: string, file: string, what: string) => {
    const other = seen.get(key);
    if (other) report(file, `${what} is already used by ${other}`);
    else seen.set(key, rel(file));
  };
  for (const l of lessons) {
    const json = path.join(l.dir, "lesson.json");
    unique(`order:${l.order}`, json, `order ${l.order}`);
    for (const loc of LOCALES) unique(`slug:${loc}:${l.slugs[loc]}`, json, `${loc} slug "${l.slugs[loc]}"`);
    for (const e of l.exercises) unique(`exercise:${e.id}`, path.join(e.dir, "exercise.json"), `exercise id "${e.id}"`);
  }

  if (issues.length > 0) throw new ContentError(issues);
  return { locales: LOCALES, defaultLocale: DEFAULT_LOCALE, lessons };
}

type Report = (file: string, message: string) => void;

async function readJson<T extends z.ZodType>(file: string, schema: T, report: Report): Promise<z.infer<T> | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(file, "utf8");
  } catch {
    report(file, "file is missing");
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (e) {
    report(file, `not valid JSON: ${(e as Error).message}`);
    return undefined;
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) report(file, `${i.path.join(".") || "(root)"}: ${i.message}`);
    return undefined;
  }
  return parsed.data;
}

async function loadLesson(dir: string, folder: string, report: Report): Promise<Lesson | undefined> {
  const jsonFile = path.join(dir, "lesson.json");
  const meta = await readJson(jsonFile, lessonMetaSchema, report);
  if (!meta) return undefined;
  if (meta.id !== folder) report(jsonFile, `id "${meta.id}" must equal the folder name "${folder}"`);

  const content = {} as Record<Locale, LessonContent>;
  let ok = true;
  for (const loc of LOCALES) {
    const c = await loadMdx(path.join(dir, `${loc}.mdx`), loc, report);
    if (c) content[loc] = c;
    else ok = false;
  }
  if (ok) {
    const ids = (loc: Locale) => content[loc].quiz.map((q) => q.id).join(",");
    if (ids("pt-BR") !== ids("en")) {
      report(
        path.join(dir, "en.mdx"),
        `quiz question ids (${ids("en")}) must match pt-BR.mdx (${ids("pt-BR")}): every question needs its translation`,
      );
    }
  }

  const exDir = path.join(dir, "exercises");
  let exFolders: string[] = [];
  try {
    exFolders = (await fs.readdir(exDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
  } catch {
    /* reported below through the listed ids */
  }
  for (const f of exFolders) {
    if (!meta.exercises.includes(f)) report(path.join(exDir, f), `exercise folder is not listed in ${path.basename(jsonFile)} "exercises"`);
  }
  const exercises: Exercise[] = [];
  for (const id of meta.exercises) {
    const e = await loadExercise(path.join(exDir, id), id, meta.id, report);
    if (e) exercises.push(e);
  }
  if (!ok) return undefined;
  return { id: meta.id, order: meta.order, durationMinutes: meta.durationMinutes, slugs: meta.slugs, dir, content, exercises };
}

async function loadMdx(file: string, loc: Locale, report: Report): Promise<LessonContent | undefined> {
  let raw: string;
  try {
    raw = await fs.readFile(file, "utf8");
  } catch {
    report(file, `missing ${loc} translation of the lesson`);
    return undefined;
  }
  let fm: { data: unknown; content: string };
  try {
    fm = matter(raw);
  } catch (e) {
    report(file, `frontmatter is not valid YAML: ${(e as Error).message}`);
    return undefined;
  }
  const parsed = frontmatterSchema.safeParse(fm.data);
  if (!parsed.success) {
    for (const i of parsed.error.issues) report(file, `frontmatter ${i.path.join(".") || "(root)"}: ${i.message}`);
  }
  const lineOffset = raw.split("\n").length - fm.content.split("\n").length;
  const { problems, used } = await checkMdx(fm.content, lineOffset);
  for (const p of problems) report(file, `${p.line !== undefined ? `line ${p.line}: ` : ""}${p.message}`);
  for (const needed of ["Quiz", "Exercises"]) {
    if (!used.includes(needed)) report(file, `the lesson must place <${needed} /> somewhere in its body`);
  }
  if (!parsed.success || problems.length > 0) return undefined;
  return { file, ...parsed.data, source: fm.content };
}

async function loadExercise(dir: string, id: string, lessonId: string, report: Report): Promise<Exercise | undefined> {
  const jsonFile = path.join(dir, "exercise.json");
  try {
    await fs.stat(dir);
  } catch {
    report(dir, `exercise folder is missing (listed in ${lessonId}/lesson.json)`);
    return undefined;
  }
  const meta = await readJson(jsonFile, exerciseMetaSchema, report);
  if (meta && meta.id !== id) report(jsonFile, `id "${meta.id}" must equal the folder name "${id}"`);
  const scripts = {} as Record<ScriptName, string>;
  let ok = true;
  for (const name of SCRIPT_NAMES) {
    const file = path.join(dir, `${name}.sh`);
    try {
      const text = await fs.readFile(file, "utf8");
      if (text.trim() === "") throw new Error("empty");
      scripts[name] = text;
    } catch {
      report(file, `missing or empty ${name} script: every exercise needs setup.sh, check.sh, solution.sh and cheat.sh`);
      ok = false;
    }
  }
  if (meta) {
    const english = [meta.goal.en, ...meta.hints.map((h) => h.en), meta.explanation.en].join("\n");
    const unknown = unglossedWords(english);
    if (unknown.length > 0) {
      report(
        jsonFile,
        `the English texts use path words an English learner cannot read (${unknown.join(", ")}): add each to PATH_GLOSSARY in content/lib/glossary.ts, or to its plain words if it is English`,
      );
      ok = false;
    }
  }
  if (!meta || !ok) return undefined;
  const gloss = glossLine([meta.goal.en, ...meta.hints.map((h) => h.en)].join("\n"));
  return {
    id,
    lessonId,
    dir,
    title: meta.title,
    goal: gloss ? { ...meta.goal, en: `${meta.goal.en} ${gloss}` } : meta.goal,
    hints: meta.hints,
    explanation: meta.explanation,
    timeoutMs: meta.timeoutSeconds * 1000,
    scripts,
  };
}

/** Finds a lesson by its localized slug. */
export function findLessonBySlug(course: Course, locale: Locale, slug: string): Lesson | undefined {
  return course.lessons.find((l) => l.slugs[locale] === slug);
}

/** Finds an exercise anywhere in the course. */
export function findExercise(course: Course, id: string): { lesson: Lesson; exercise: Exercise } | undefined {
  for (const lesson of course.lessons) {
    const exercise = lesson.exercises.find((e) => e.id === id);
    if (exercise) return { lesson, exercise };
  }
  return undefined;
}

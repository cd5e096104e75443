// The loader on the real course and on broken copies of one lesson: every failure names the file.
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ContentError, findExercise, findLessonBySlug, loadCourse } from "./load";

const REAL = path.join(process.cwd(), "content");
const LESSON = "01-o-que-e-docker";
const temps: string[] = [];

/** A content dir holding a copy of lesson 01, for breaking. */
async function fixture(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "content-"));
  temps.push(dir);
  await cp(path.join(REAL, "lessons", LESSON), path.join(dir, "lessons", LESSON), { recursive: true });
  return dir;
}
const lessonFile = (dir: string, ...p: string[]) => path.join(dir, "lessons", LESSON, ...p);
async function edit(file: string, fn: (s: string) => string) {
  await writeFile(file, fn(await readFile(file, "utf8")));
}
async function issuesOf(dir: string): Promise<{ file: string; message: string }[]> {
  try {
    await loadCourse({ contentDir: dir });
  } catch (e) {
    expect(e).toBeInstanceOf(ContentError);
    return (e as ContentError).issues;
  }
  throw new Error("expected loadCourse to throw ContentError");
}

afterEach(async () => {
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe("the real course", () => {
  it("loads: seven lessons in order, both languages, at least two exercises each with its four scripts", async () => {
    const course = await loadCourse({ contentDir: REAL });
    expect(course.lessons.map((l) => l.order)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(course.lessons[0]!.slugs).toEqual({ "pt-BR": "o-que-e-docker", en: "what-is-docker" });
    for (const l of course.lessons) {
      expect(l.content["pt-BR"].title).not.toBe(l.content.en.title);
      expect(l.content["pt-BR"].quiz.length).toBeGreaterThanOrEqual(2);
      expect(l.exercises.length).toBeGreaterThanOrEqual(2);
      for (const e of l.exercises) {
        for (const s of ["setup", "check", "solution", "cheat"] as const) expect(e.scripts[s].trim()).not.toBe("");
        expect(e.scripts.check).toContain("COURSE_LANG");
      }
    }
    expect(findLessonBySlug(course, "en", "layers")?.id).toBe("06-camadas");
    expect(findExercise(course, "verificar-camada")?.exercise.timeoutMs).toBe(60_000);
  });

  it("a copy of one lesson loads too (the fixture starts valid)", async () => {
    const dir = await fixture();
    const course = await loadCourse({ contentDir: dir });
    expect(course.lessons).toHaveLength(1);
  });
});

describe("English learners read the Portuguese file names glossed", () => {
  it("an English goal that names /root/respostas ends with its gloss; the Portuguese goal is unchanged", async () => {
    const course = await loadCourse({ contentDir: REAL });
    const kernel = course.lessons[0]!.exercises.find((e) => e.id === "kernel-do-host")!;
    expect(kernel.goal.en).toMatch(/Portuguese names here: `respostas` = answers\.$/);
    expect(kernel.goal["pt-BR"]).not.toMatch(/Portuguese names/);
  });
});

describe("broken content fails with a message naming the file", () => {
  it("bad frontmatter: a missing title", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "pt-BR.mdx"), (s) => s.replace(/^title: .*\n/m, ""));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual({
      file: expect.stringMatching(/01-o-que-e-docker\/pt-BR\.mdx$/),
      message: expect.stringMatching(/frontmatter title/),
    });
  });

  it("bad frontmatter: a quiz question with no correct choice", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) => s.replaceAll("correct: true", "correct: false"));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("en.mdx") && /exactly one choice/.test(i.message))).toBe(true);
  });

  it("a quiz question whose right answer is its longest choice", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) =>
      s.replace(
        'text: "An engine that creates and manages containers that share the host\'s kernel."',
        'text: "An engine that creates and manages containers, isolated processes that share the kernel of the host they run on, with limits."',
      ),
    );
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("en.mdx") && /longest one, which gives it away/.test(i.message))).toBe(true);
  });

  it("a lesson without a predict-the-output quiz question", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "pt-BR.mdx"), (s) => s.replace(/^ {4}code: \|\n(?: {6}.*\n)+/m, ""));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("pt-BR.mdx") && /predict the output/.test(i.message))).toBe(true);
  });

  it("frontmatter that is not YAML", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) => s.replace(/^summary: .*$/m, "summary: [unclosed"));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("en.mdx") && /not valid YAML/.test(i.message))).toBe(true);
  });

  it("an unknown component, with its line", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) => s.replace("<HostKernel />", "<HostKernal />"));
    const issues = await issuesOf(dir);
    const hit = issues.find((i) => i.file.endsWith("en.mdx") && i.message.includes("unknown component <HostKernal>"));
    expect(hit?.message).toMatch(/^line \d+: /);
  });

  it("a component prop outside its allowed values, and a missing required prop", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "pt-BR.mdx"), (s) =>
      s.replace('<Diagram name="vm-container-chroot" />', '<Diagram name="vm" />\n\n<Run />'),
    );
    const messages = (await issuesOf(dir)).filter((i) => i.file.endsWith("pt-BR.mdx")).map((i) => i.message);
    expect(messages.some((m) => m.includes('name="vm" is not one of'))).toBe(true);
    expect(messages.some((m) => m.includes('<Run>: missing required prop "command"'))).toBe(true);
  });

  it("MDX that does not compile", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) => s.replace("## Exercises", '## Exercises <Callout kind="tip">'));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("en.mdx") && /MDX does not compile/.test(i.message))).toBe(true);
  });

  it("an exercise folder missing its check script", async () => {
    const dir = await fixture();
    await rm(lessonFile(dir, "exercises", "kernel-do-host", "check.sh"));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual({
      file: expect.stringMatching(/kernel-do-host\/check\.sh$/),
      message: expect.stringMatching(/missing or empty check script/),
    });
  });

  it("an exercise folder missing its cheat.sh (the typed-in answer the check must reject)", async () => {
    const dir = await fixture();
    await rm(lessonFile(dir, "exercises", "kernel-do-host", "cheat.sh"));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual({
      file: expect.stringMatching(/kernel-do-host\/cheat\.sh$/),
      message: expect.stringMatching(/missing or empty cheat script/),
    });
  });

  it("a lesson missing its English translation", async () => {
    const dir = await fixture();
    await rm(lessonFile(dir, "en.mdx"));
    const issues = await issuesOf(dir);
    expect(issues).toContainEqual({
      file: expect.stringMatching(/01-o-que-e-docker\/en\.mdx$/),
      message: "missing en translation of the lesson",
    });
  });

  it("an exercise text missing its English translation", async () => {
    const dir = await fixture();
    const f = lessonFile(dir, "exercises", "processos-isolados", "exercise.json");
    await edit(f, (s) => {
      const j = JSON.parse(s);
      delete j.hints[0].en;
      return JSON.stringify(j);
    });
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("processos-isolados/exercise.json") && i.message.startsWith("hints.0.en"))).toBe(true);
  });

  it("an English exercise text with a Portuguese path word it does not gloss", async () => {
    const dir = await fixture();
    const f = lessonFile(dir, "exercises", "processos-isolados", "exercise.json");
    await edit(f, (s) => {
      const j = JSON.parse(s);
      j.goal.en += " Keep a copy in `/root/gaveta/copia.txt`.";
      return JSON.stringify(j);
    });
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("processos-isolados/exercise.json") && /cannot read \(gaveta, copia\)/.test(i.message))).toBe(
      true,
    );
  });

  it("a quiz question without its translation", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "en.mdx"), (s) => s.replace("id: independencia", "id: independence"));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("en.mdx") && /quiz question ids/.test(i.message))).toBe(true);
  });

  it("an exercise listed in lesson.json with no folder, and a folder not listed", async () => {
    const dir = await fixture();
    await edit(lessonFile(dir, "lesson.json"), (s) => s.replace('"processos-isolados"', '"nao-existe"'));
    const issues = await issuesOf(dir);
    expect(issues.some((i) => i.file.endsWith("exercises/nao-existe") && /folder is missing/.test(i.message))).toBe(true);
    expect(issues.some((i) => i.file.endsWith("exercises/processos-isolados") && /not listed/.test(i.message))).toBe(true);
  });
});

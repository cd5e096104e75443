import fs from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { createUser, expectConnected, exerciseItem, firstLesson, PASSWORD, signIn, terminalText, typeCommand } from "./helpers";

/**
 * Instructors end to end (pt-BR, the default locale), against the real app, runner and containers:
 * an instructor (created with the CLI) makes a class; a learner joins with the link, signs up on the
 * way and completes an exercise; the instructor sees the matrix change without reloading, shadows
 * the learner's terminal live, replays it, downloads the CSV. Then a second learner and a second
 * instructor are refused the first ones' data in the UI and through direct API calls.
 */
const root = path.resolve(__dirname, "..");
const run = Date.now().toString(36);
async function signUp(page: Page, name: string, email: string): Promise<void> {
  const main = page.locator("main");
  await main.getByLabel("Seu nome").fill(name);
  await main.getByLabel("E-mail").fill(email);
  await main.getByLabel("Senha").fill(PASSWORD);
  await main.getByRole("button", { name: "Criar conta", exact: true }).click();
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

/** Every API a class's data leaks through; all must refuse `api` (403) unless it is the instructor's. */
async function expectApisRefused(
  api: APIRequestContext,
  ids: { classId: string; learnerId: string; sandboxId: string; terminalId: string },
  origin: string,
) {
  for (const url of [
    `/api/classes/${ids.classId}/matrix`,
    `/api/classes/${ids.classId}/export`,
    `/api/classes/${ids.classId}/events`,
    `/api/classes/${ids.classId}/learners/${ids.learnerId}`,
    `/api/recordings/${ids.sandboxId}/${ids.terminalId}`,
  ]) {
    const res = await api.get(url);
    expect(res.status(), `GET ${url}`).toBe(403);
    expect(await res.text(), `GET ${url} leaks nothing`).not.toContain(ids.learnerId === "" ? "\u0000" : "respostas");
  }
  const obs = await api.post(`/api/observe/${ids.sandboxId}`, { headers: { origin } });
  expect(obs.status(), "POST observe").toBe(403);
  expect(await obs.text()).not.toContain("token");
}

test("instructor: class, live matrix, shadowing, replay, CSV; others refused", async ({ browser, baseURL }) => {
  test.setTimeout(400_000);
  const lesson = await firstLesson();
  const [first] = lesson.exercises;
  const profA = `prof-a-${run}@example.org`;
  const profB = `prof-b-${run}@example.org`;
  createUser(profA, "instructor", "Prof A");
  createUser(profB, "instructor", "Prof B");

  // The instructor signs in and creates a class.
  const prof = await newPage(browser);
  await signIn(prof, profA, "/instructor");
  await prof.locator("main").getByLabel("Nome da turma").fill(`Turma ${run}`);
  await prof.getByRole("button", { name: "Criar turma" }).click();
  await prof.waitForURL(/\/instructor\/classes\/[^/]+$/);
  const classId = prof.url().split("/").pop()!;
  const code = await prof.getByTestId("class-code").inputValue();
  expect(code).toMatch(/^[A-Z2-9]{8}$/);
  await expect(prof.getByTestId("join-link")).toHaveValue(new RegExp(`/join/${code}$`));
  await expect(prof.getByTestId("live-status")).toHaveAttribute("data-live", "on");

  // A learner starts as a guest, then follows the join link, signs up (progress comes along) and joins.
  const learner = await newPage(browser);
  await learner.goto(`/licoes/${lesson.slugs["pt-BR"]}`);
  await expectConnected(learner, "pt-BR");
  await learner.goto(`/join/${code}`);
  await learner.getByRole("link", { name: "Criar conta" }).first().click();
  await signUp(learner, "Lia Aprendiz", `lia-${run}@example.org`);
  await learner.waitForURL(new RegExp(`/join/${code}$`));
  await learner.getByRole("button", { name: "Entrar nesta turma" }).click();
  await expect(learner.getByRole("status")).toContainText(`Turma ${run}`);

  // The learner appears in the matrix without a reload.
  const row = prof.locator('tr[data-testid^="row-"]');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  const learnerId = (await row.getAttribute("data-testid"))!.slice("row-".length);
  const cell = prof.getByTestId(`cell-${learnerId}-${first!.id}`);
  await expect(cell).toHaveAttribute("data-status", "notStarted");

  // The learner completes exercise 1 in the terminal; the instructor's matrix follows, live.
  await learner.goto(`/licoes/${lesson.slugs["pt-BR"]}`);
  await expectConnected(learner, "pt-BR");
  await typeCommand(
    learner,
    "mkdir -p /root/respostas && uname -r > /root/respostas/kernel.txt && cat /proc/sys/kernel/random/boot_id > /root/respostas/boot-id.txt",
  );
  await expect(exerciseItem(learner, first!.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  await expect(cell).toHaveAttribute("data-status", "passed", { timeout: 15_000 });
  await expect(row.getByTestId("row-passed")).toContainText(/^1\//);

  // Per-learner page: the timeline has the passing Check with its message.
  await prof.getByRole("link", { name: "Lia Aprendiz" }).click();
  await prof.waitForURL(new RegExp(`/learners/${learnerId}$`));
  const passedCheck = prof.getByTestId("timeline").locator('[data-kind="check"]', { hasText: "Verificação passou" });
  await expect(passedCheck.first()).toContainText(first!.title["pt-BR"]);
  await expect(prof.getByTestId("timeline").locator('[data-kind="check"]', { hasText: "Verificação falhou" }).first()).toContainText(
    "Falta /root/respostas",
  );

  // Live shadowing: the instructor sees what the learner types, and cannot type into it.
  await prof.getByTestId("shadow-open").click();
  await expect(prof.getByTestId("shadow-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
  await typeCommand(learner, 'echo "sombra-$((40+2))"');
  const shadowText = () =>
    prof
      .locator('[data-testid="shadow"] .xterm-rows')
      .evaluate((el) => Array.from(el.children, (r) => (r.textContent ?? "").replace(/\u00a0/g, " ")).join("\n"))
      .catch(() => "");
  await expect.poll(shadowText, { timeout: 20_000 }).toMatch(/^sombra-42\s*$/m);
  await prof.locator('[data-testid="shadow"] .xterm').click();
  await prof.keyboard.type("echo intruso\n");
  await learner.waitForTimeout(1500);
  expect(await terminalText(learner)).not.toContain("intruso");

  // Replay of the learner's terminal: play, speed, seek to the end shows what was typed.
  const sandboxId = (await prof.locator("[data-sandbox-id]").first().getAttribute("data-sandbox-id"))!;
  const replayButton = prof.locator('[data-testid^="replay-open-"]').first();
  const terminalId = (await replayButton.getAttribute("data-testid"))!.slice("replay-open-".length);
  await replayButton.click();
  const replay = prof.getByTestId("replay");
  await expect(replay.getByTestId("replay-toggle")).toBeEnabled({ timeout: 20_000 });
  await replay.getByTestId("replay-speed").selectOption("4");
  await expect(replay.getByTestId("replay-toggle")).toBeEnabled({ timeout: 20_000 });
  await replay.getByTestId("replay-toggle").click();
  await expect(replay.getByTestId("replay-toggle")).toHaveText("Pausar");
  await replay.getByTestId("replay-toggle").click();
  await expect(replay.getByTestId("replay-toggle")).toHaveText("Reproduzir");
  const screen = () =>
    replay
      .locator(".ap-player")
      .innerText()
      .catch(() => "");
  // Played to the end (at 8×), the replay shows the command's output...
  await replay.getByTestId("replay-speed").selectOption("8");
  await expect(replay.getByTestId("replay-toggle")).toBeEnabled({ timeout: 20_000 });
  await replay.getByTestId("replay-toggle").click();
  await expect.poll(screen, { timeout: 60_000 }).toContain("sombra-42");
  // ...and seeking back to the start shows the screen before it.
  await replay.getByTestId("replay-toggle").click();
  await replay.getByTestId("replay-seek").fill("0");
  await expect.poll(screen, { timeout: 20_000 }).not.toContain("sombra-42");

  // CSV export: one line per learner × exercise, the done one marked passed.
  await prof.goto(`/instructor/classes/${classId}`);
  const [download] = await Promise.all([prof.waitForEvent("download"), prof.getByTestId("export-csv").click()]);
  const csv = fs.readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "");
  const lines = csv.trim().split(/\r\n/);
  // One line per learner × exercise, then one per learner × quiz question (docs/instructors.md).
  const exerciseCount = (await import("../content/lib/load"))
    .loadCourse({ contentDir: path.join(root, "content") })
    .then((c) => c.lessons.reduce((n, l) => n + l.exercises.length + l.content["pt-BR"].quiz.length, 0));
  expect(lines[0]).toBe(
    "class,learner_id,learner_name,learner_email,lesson_id,exercise_id,status,checks,failed_checks,hints,solution_opened,time_spent_seconds,last_activity",
  );
  expect(lines.length).toBe(1 + (await exerciseCount));
  const done = lines.find((l) => l.includes(`,${lesson.id},${first!.id},`))!;
  expect(done).toContain(`Turma ${run},${learnerId},Lia Aprendiz,lia-${run}@example.org,${lesson.id},${first!.id},passed,`);
  expect(lines.filter((l) => l.includes(",passed,"))).toHaveLength(1);

  const ids = { classId, learnerId, sandboxId, terminalId };
  const origin = new URL(baseURL!).origin;

  // A second learner: refused the class's pages and every API.
  const other = await newPage(browser);
  await other.goto("/signup");
  await signUp(other, "Outro Aluno", `outro-${run}@example.org`);
  await other.waitForURL((u) => u.pathname === "/");
  await other.goto(`/instructor/classes/${classId}`);
  await expect(other.getByTestId("forbidden")).toBeVisible();
  await other.goto(`/instructor/classes/${classId}/learners/${learnerId}`);
  await expect(other.getByTestId("forbidden")).toBeVisible();
  await expectApisRefused(other.request, ids, origin);

  // A second instructor: has no right to another instructor's class either.
  const profPage2 = await newPage(browser);
  await signIn(profPage2, profB, "/instructor");
  await expect(profPage2.getByTestId("class-card")).toHaveCount(0);
  await profPage2.goto(`/instructor/classes/${classId}`);
  await expect(profPage2.getByTestId("forbidden")).toBeVisible();
  await expect(profPage2.locator("main")).not.toContainText("Lia Aprendiz");
  await expectApisRefused(profPage2.request, ids, origin);

  // And the learner herself cannot read the class's data (only her own progress).
  await expectApisRefused(learner.request, ids, origin);
  // Without any session at all: refused too.
  const anon = await (await browser.newContext()).request;
  await expectApisRefused(anon, ids, origin);

  // The first instructor's own direct calls work (the refusals above are about who asks).
  const ok = await prof.request.get(`/api/classes/${classId}/learners/${learnerId}`);
  expect(ok.status()).toBe(200);
  expect((await ok.json()).events.some((e: { kind: string; passed?: boolean }) => e.kind === "check" && e.passed)).toBe(true);
  expect((await prof.request.get(`/api/recordings/${sandboxId}/${terminalId}`)).status()).toBe(200);
});

import fs from "node:fs";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  createUser,
  expectConnected,
  exerciseItem,
  firstLesson,
  lessonUrl,
  PASSWORD,
  signIn,
  solutionLine,
  terminalText,
  typeCommand,
} from "./helpers";

/**
 * The instructor's roster and stepping-in tools in real Chromium against the real app, runner and
 * containers (issue 14): bulk invites with one-time codes, rotating a leaked code, the projector
 * view, rename/archive/delete; messages beside the learner's terminal, a raised hand in the
 * matrix, a sandbox reset only after the learner's consent, a one-time password-reset link, the
 * live terminal grid, removing a learner; assignments, quiz answers, the score and both CSVs. Every
 * new page and API refuses a learner and another class's instructor with 403 and no data.
 */
const run = Date.now().toString(36);
let seq = 0;

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

function instructor(): string {
  const email = `prof-roster-${run}-${seq++}@example.org`;
  createUser(email, "instructor", `Prof ${seq}`);
  return email;
}

async function signUpAt(page: Page, next: string, name: string): Promise<string> {
  const email = `${name.toLowerCase().replace(/\W+/g, "-")}-${run}-${seq++}@example.org`;
  await page.goto(`/signup?next=${encodeURIComponent(next)}`);
  const main = page.locator("main");
  await main.getByLabel("Seu nome").fill(name);
  await main.getByLabel("E-mail").fill(email);
  await main.getByLabel("Senha").fill(PASSWORD);
  await main.getByRole("button", { name: "Criar conta", exact: true }).click();
  await page.waitForURL((u) => u.pathname === next);
  return email;
}

async function newClass(prof: Page, name: string): Promise<{ classId: string; code: string }> {
  await prof.goto("/instructor");
  await prof.locator("main").getByLabel("Nome da turma").fill(name);
  await prof.getByRole("button", { name: "Criar turma" }).click();
  await prof.waitForURL(/\/instructor\/classes\/[^/]+$/);
  return { classId: prof.url().split("/").pop()!, code: await prof.getByTestId("class-code").inputValue() };
}

async function joinWith(page: Page, code: string): Promise<void> {
  await page.goto(`/join/${code}`);
  await page.getByRole("button", { name: "Entrar nesta turma" }).click();
  await expect(page.getByRole("status")).toContainText("Você está na turma");
}

/** Opens the class page's tool panel named `summary`. */
async function tool(prof: Page, summary: string) {
  const card = prof.locator("details.roster-card", { has: prof.locator("summary", { hasText: summary }) });
  if (!(await card.getAttribute("open").then((v) => v !== null))) await card.locator("summary").click();
  return card;
}

/** Pages and APIs that must answer 403 with nothing of the class to `page`. */
async function expectRefused(page: Page, classId: string, learnerId: string, secret: string) {
  for (const url of [
    `/instructor/classes/${classId}/projector`,
    `/instructor/classes/${classId}/terminals`,
    `/instructor/classes/${classId}/learners/${learnerId}`,
  ]) {
    const res = await page.goto(url);
    expect(res?.status(), url).toBe(403);
    await expect(page.getByTestId("forbidden"), url).toBeVisible();
    expect(await page.content(), url).not.toContain(secret);
  }
  for (const url of [`/api/classes/${classId}/export?format=wide`, `/api/classes/${classId}/export?format=long`]) {
    const res = await page.request.get(url);
    expect(res.status(), url).toBe(403);
    expect(await res.text(), url).not.toContain(secret);
  }
}

test("roster: bulk invite with one-time codes, rotate a leaked code, projector with QR, rename, archive, delete; others refused", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const prof = await newPage(browser);
  await signIn(prof, instructor(), "/instructor");
  const { classId, code } = await newClass(prof, `Turma roster ${run}`);

  // Projector view: the code large, a QR code (SVG) and the whole link.
  await prof.getByTestId("projector-open").click();
  await expect(prof.getByTestId("projector-code")).toHaveText(code);
  await expect(prof.getByTestId("projector-qr").locator("svg path").first()).toBeAttached();
  await expect(prof.getByTestId("projector-link")).toHaveText(new RegExp(`^http://[^/]+/join/${code}$`));
  expect((await new AxeBuilder({ page: prof }).analyze()).violations.map((v) => v.id)).toEqual([]);
  await prof.goBack();

  // Bulk invite: a pasted list becomes one one-time code per person.
  const invite = await tool(prof, "Convidar uma lista de alunos");
  await invite.getByTestId("invite-list").fill("Ana Convite\nbeto@escola.br\n\nana convite");
  await invite.getByRole("button", { name: "Criar convites" }).click();
  const rows = invite.getByTestId("invites").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  const token = (await rows.first().locator("code").first().innerText()).trim();
  expect(token).toMatch(/^[A-Z2-9]{12}$/);
  await expect(rows.first()).toContainText(`/join/${token}`);

  const ana = await newPage(browser);
  await signUpAt(ana, `/join/${token}`, "Ana Convite");
  await ana.getByRole("button", { name: "Entrar nesta turma" }).click();
  await expect(ana.getByRole("status")).toContainText(`Turma roster ${run}`);
  await expect(prof.locator('tr[data-testid^="row-"]')).toHaveCount(1, { timeout: 20_000 });
  const anaId = (await prof.locator('tr[data-testid^="row-"]').getAttribute("data-testid"))!.slice(4);
  // Used once: the same code joins nobody else.
  const beto = await newPage(browser);
  await signUpAt(beto, `/join/${token}`, "Beto Atrasado");
  await expect(beto.locator("main").getByRole("alert")).toContainText("Nenhuma turma tem este código");

  // A leaked code is rotated: the old one is refused, the new one works.
  const settings = await tool(prof, "Configurações da turma");
  await settings.getByRole("button", { name: /Novo código de entrada/ }).click();
  await settings.getByRole("button", { name: "Sim, novo código" }).click();
  await expect(prof.getByTestId("class-code")).not.toHaveValue(code);
  const fresh = await prof.getByTestId("class-code").inputValue();
  await expect(prof.getByTestId("join-link")).toHaveValue(new RegExp(`^http://[^/]+/join/${fresh}$`));
  await beto.goto(`/join/${code}`);
  await expect(beto.locator("main").getByRole("alert")).toContainText("Nenhuma turma tem este código");
  const joinOld = await beto.request.post("/api/join", { data: { code }, headers: { origin: new URL(beto.url()).origin } });
  expect(joinOld.status()).toBe(404);

  // Rename, then archive (the code stops working), then restore.
  await settings.getByLabel("Nome da turma", { exact: true }).fill(`Turma renomeada ${run}`);
  await settings.getByRole("button", { name: "Salvar" }).click();
  await expect(prof.locator("h1")).toContainText(`Turma renomeada ${run}`);
  await (await tool(prof, "Configurações da turma")).getByRole("button", { name: "Arquivar a turma" }).click();
  await expect(prof.locator("h1")).toContainText("arquivada");
  await beto.goto(`/join/${fresh}`);
  await expect(beto.locator("main").getByRole("alert")).toContainText("Nenhuma turma tem este código");
  await (await tool(prof, "Configurações da turma")).getByRole("button", { name: "Reativar a turma" }).click();
  await expect(prof.locator("h1")).not.toContainText("arquivada");

  // A learner and another instructor: refused every new page and export, and learn nothing.
  await expectRefused(ana, classId, anaId, fresh);
  const other = await newPage(browser);
  await signIn(other, instructor(), "/instructor");
  await expectRefused(other, classId, anaId, fresh);

  // Delete: only with the class's name typed; the learner's account stays.
  const del = await tool(prof, "Configurações da turma");
  const button = del.getByRole("button", { name: "Apagar a turma de vez" });
  await del.getByTestId("delete-confirm").fill("Turma");
  await expect(button).toBeDisabled();
  await del.getByTestId("delete-confirm").fill(`Turma renomeada ${run}`);
  await button.click();
  await prof.waitForURL((u) => u.pathname === "/instructor");
  await expect(prof.getByTestId("class-card")).toHaveCount(0);
  expect((await prof.goto(`/instructor/classes/${classId}`))?.status()).toBe(403);
  expect((await ana.request.get("/api/me")).status()).toBe(200);
  expect(await (await ana.request.get("/api/me")).json()).toMatchObject({ signedIn: true, name: "Ana Convite" });
});

test("stepping in: message, raised hand, sandbox reset after consent, reset link, terminal grid, removal", async ({ browser }) => {
  test.setTimeout(400_000);
  const lesson = await firstLesson();
  const prof = await newPage(browser);
  await signIn(prof, instructor(), "/instructor");
  const { classId, code } = await newClass(prof, `Turma intervir ${run}`);
  const lia = await newPage(browser);
  const liaEmail = await signUpAt(lia, `/join/${code}`, "Lia Intervir");
  await joinWith(lia, code);
  await lia.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(lia, "pt-BR");
  const row = prof.locator('tr[data-testid^="row-"]');
  await expect(row).toHaveCount(1, { timeout: 20_000 });
  const liaId = (await row.getAttribute("data-testid"))!.slice(4);

  // The learner raises her hand: it shows in the matrix, live, and the stuck filter keeps her.
  await lia.getByTestId("raise-hand").click();
  await expect(lia.getByTestId("raise-hand")).toHaveAttribute("aria-pressed", "true");
  await expect(row.getByTestId("row-hand")).toBeVisible({ timeout: 20_000 });
  await prof.getByLabel("Só alunos travados").check();
  await expect(row).toHaveCount(1);
  await prof.getByLabel("Só alunos travados").uncheck();

  // A message to the whole class shows beside her terminal.
  const msg = await tool(prof, "Mensagem para a turma toda");
  await msg.getByRole("textbox").fill(`Intervalo de 10 minutos ${run}`);
  await msg.getByRole("button", { name: "Enviar" }).click();
  await expect(msg.getByRole("status")).toHaveText("Enviada.");
  await expect(lia.getByTestId("notice-body").filter({ hasText: `Intervalo de 10 minutos ${run}` })).toBeVisible({ timeout: 30_000 });

  // On her page: the instructor lowers the hand, then asks to reset the sandbox; nothing happens before she accepts.
  await row.getByRole("link", { name: "Lia Intervir" }).click();
  await prof.waitForURL(new RegExp(`/learners/${liaId}$`));
  await expect(prof.getByTestId("hand-raised")).toBeVisible();
  await prof.getByRole("button", { name: "Baixar a mão (já ajudei)" }).click();
  await expect(prof.getByTestId("hand-raised")).toHaveCount(0);
  await expect(lia.getByTestId("raise-hand")).toHaveAttribute("aria-pressed", "false", { timeout: 30_000 });
  await typeCommand(lia, `echo marca > /root/marcador-${run} && echo gravado-$((40+2))`);
  await expect.poll(() => terminalText(lia), { timeout: 30_000 }).toMatch(/^gravado-42\s*$/m);
  const sandboxBefore = await lia.locator(".course-terminal").getAttribute("data-sandbox-id");
  await prof.getByTestId("ask-reset").click();
  await expect(prof.getByRole("status").filter({ hasText: "Pedido enviado" })).toBeVisible();
  const ask = lia.getByTestId("notice-reset");
  await expect(ask).toBeVisible({ timeout: 30_000 });
  expect(await lia.locator(".course-terminal").getAttribute("data-sandbox-id")).toBe(sandboxBefore);
  await ask.getByRole("button", { name: "Reiniciar agora" }).click();
  await expectConnected(lia, "pt-BR");
  await expect.poll(() => lia.locator(".course-terminal").getAttribute("data-sandbox-id"), { timeout: 60_000 }).not.toBe(sandboxBefore);
  await typeCommand(lia, `ls /root/marcador-${run} 2>&1 | tail -1`);
  await expect.poll(() => terminalText(lia), { timeout: 30_000 }).toMatch(/No such file/);
  await prof.reload();
  await expect(prof.getByTestId("reset-answer").first()).toContainText("aceito");

  // A one-time password-reset link: it sets her password once.
  await prof.getByTestId("reset-link").click();
  const link = await prof.getByTestId("reset-link-value").inputValue();
  expect(link).toMatch(/\/reset-password\?token=/);
  const stranger = await newPage(browser);
  await stranger.goto(link);
  await stranger.getByLabel("Nova senha (pelo menos 8 caracteres)").fill("nova-senha-da-lia");
  await stranger.getByLabel("A mesma senha de novo").fill("nova-senha-da-lia");
  await stranger.getByRole("button", { name: "Salvar a nova senha" }).click();
  await expect(stranger.getByTestId("reset-done")).toContainText("Sua senha foi trocada");
  const signInWith = (password: string) =>
    stranger.request.post("/api/auth/sign-in/email", {
      data: { email: liaEmail, password },
      headers: { origin: new URL(stranger.url()).origin },
    });
  expect((await signInWith("nova-senha-da-lia")).status()).toBe(200);
  expect((await signInWith(PASSWORD)).status()).toBe(401);
  const again = await newPage(browser);
  await again.goto(link);
  await again.getByLabel("Nova senha (pelo menos 8 caracteres)").fill("outra-senha-qualquer");
  await again.getByLabel("A mesma senha de novo").fill("outra-senha-qualquer");
  await again.getByRole("button", { name: "Salvar a nova senha" }).click();
  await expect(again.locator("main").getByRole("alert")).toContainText("expirou ou já foi usado");

  // The terminal grid: her live terminal as a read-only thumbnail; enlarge it.
  await prof.goto(`/instructor/classes/${classId}/terminals`);
  const thumb = prof.getByTestId(`grid-${liaId}`);
  await expect(thumb.getByTestId("shadow-status")).toHaveAttribute("data-status", "live", { timeout: 30_000 });
  expect((await new AxeBuilder({ page: prof }).analyze()).violations.map((v) => v.id)).toEqual([]);
  await thumb.getByTestId("grid-enlarge").click();
  await expect(prof.locator('[data-testid^="grid-"][aria-label]')).toHaveCount(1);

  // Removal: she leaves the matrix; her own progress stays hers.
  await prof.goto(`/instructor/classes/${classId}/learners/${liaId}`);
  await prof.getByRole("button", { name: "Tirar da turma" }).click();
  await prof.getByRole("button", { name: "Sim, tirar" }).click();
  await prof.waitForURL(new RegExp(`/instructor/classes/${classId}$`));
  await expect(prof.locator('tr[data-testid^="row-"]')).toHaveCount(0);
  expect((await prof.goto(`/instructor/classes/${classId}/learners/${liaId}`))?.status()).toBe(403);
});

test("assignments and grades: chosen lessons with a due date, quiz answers in the matrix, the learner's page and both CSVs", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const lesson = await firstLesson();
  const [first] = lesson.exercises;
  const quiz = lesson.content["pt-BR"].quiz;
  const prof = await newPage(browser);
  await signIn(prof, instructor(), "/instructor");
  const { classId, code } = await newClass(prof, `Turma notas ${run}`);

  // Only lesson 1, due tomorrow (typed in the instructor's own time zone).
  const asg = await tool(prof, "Tarefas: lições e prazos");
  await asg.getByTestId(`assign-${lesson.id}`).check();
  await asg.getByLabel(`Prazo de ${lesson.content["pt-BR"].title}`).fill("2099-12-31T18:00");
  await asg.getByRole("button", { name: "Salvar" }).click();
  await expect(asg.getByRole("status")).toHaveText("Salvo.");
  await prof.reload();
  const exerciseCount = lesson.exercises.length;
  await expect((await tool(prof, "Tarefas: lições e prazos")).getByLabel(`Prazo de ${lesson.content["pt-BR"].title}`)).toHaveValue(
    "2099-12-31T18:00",
  );

  const lia = await newPage(browser);
  await signUpAt(lia, `/join/${code}`, "Lia Notas");
  await joinWith(lia, code);
  await lia.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(lia, "pt-BR");
  await typeCommand(lia, solutionLine(lesson, first!.id));
  await expect(exerciseItem(lia, first!.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  // The first quiz question answered right on the first try.
  const q = quiz[0]!;
  const right = q.choices.find((c) => c.correct)!;
  // Inline code is shown without its backticks.
  await lia
    .locator(".quiz__choice", { hasText: right.text.replace(/`/g, "") })
    .first()
    .click();
  await expect(lia.locator(".quiz__feedback.is-correct").first()).toBeVisible({ timeout: 20_000 });

  const row = prof.locator('tr[data-testid^="row-"]');
  // Only the assigned lesson's exercises are columns: learner, done, quiz, score, exercises, last activity.
  await expect(prof.locator(".matrix__table thead th")).toHaveCount(4 + exerciseCount + 1, { timeout: 30_000 });
  await expect(row.getByTestId("row-quiz")).toHaveText(`1/${quiz.length}`, { timeout: 30_000 });
  const liaId = (await row.getAttribute("data-testid"))!.slice(4);
  // score = 100 × (1 exercise on time + 1 question right first) / (exercises + questions)
  const expected = Math.round((100 * 2) / (exerciseCount + quiz.length));
  await expect(row.getByTestId("row-score")).toHaveText(String(expected));

  // The learner's page: score and her answer.
  await prof.goto(`/instructor/classes/${classId}/learners/${liaId}`);
  await expect(prof.getByTestId("learner-score")).toContainText(`Nota: ${expected}`);
  await expect(prof.getByTestId("quiz-answers").locator('tr[data-status="correct"]')).toContainText(right.text);

  // Both CSVs.
  const wide = await prof.request.get(`/api/classes/${classId}/export?format=wide`);
  expect(wide.status()).toBe(200);
  const wideLines = (await wide.text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(wideLines).toHaveLength(2);
  expect(wideLines[0]).toBe(
    [
      "class,learner_id,learner_name,learner_email,score,exercises_passed,quiz_correct",
      ...lesson.exercises.map((e) => `${lesson.id}/${e.id}`),
      ...quiz.map((x) => `quiz:${lesson.id}/${x.id}`),
    ].join(","),
  );
  expect(wideLines[1]).toContain(`Turma notas ${run},${liaId},Lia Notas,`);
  expect(wideLines[1]).toContain(`,${expected},1,1,passed,`);
  const long = (await (await prof.request.get(`/api/classes/${classId}/export`)).text())
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(long).toHaveLength(1 + exerciseCount + quiz.length);
  expect(long.find((l) => l.includes(`,quiz:${q.id},`))).toContain(`,${lesson.id},quiz:${q.id},correct,1,`);
  fs.writeFileSync(test.info().outputPath("wide.csv"), wideLines.join("\n"));
});

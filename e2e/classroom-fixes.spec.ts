import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { commandOutput, createUser, expectConnected, firstLesson, lessonUrl, PASSWORD, signIn, typeCommand } from "./helpers";

/**
 * The class page and its neighbours as an instructor and learners see them (issue 14's smaller
 * bugs): no hydration error, refusals in the page's language with 403, the home page's note for a
 * signed-in user, times in the viewer's time zone, no horizontal scroll at 1366 px with the whole
 * invite link, and a guest's sandbox (files) kept through sign-up.
 */
const run = Date.now().toString(36);
let seq = 0;

function createInstructor(): string {
  const email = `prof-fix-${run}-${seq++}@example.org`;
  createUser(email, "instructor", "Prof Fix");
  return email;
}

async function signUpAt(page: Page, next: string, name: string): Promise<void> {
  await page.goto(`/signup?next=${encodeURIComponent(next)}`);
  const main = page.locator("main");
  await main.getByLabel("Seu nome").fill(name);
  await main.getByLabel("E-mail").fill(`${name.toLowerCase().replace(/\W+/g, "-")}-${run}-${seq++}@example.org`);
  await main.getByLabel("Senha").fill(PASSWORD);
  await main.getByRole("button", { name: "Criar conta", exact: true }).click();
  await page.waitForURL((u) => u.pathname === next);
}

/** An instructor with a class, and one learner (signed up, joined, just visited a lesson). */
async function classWithLearner(browser: Browser, profContext: BrowserContextOptions = {}) {
  const email = createInstructor();
  const prof = await (await browser.newContext(profContext)).newPage();
  await signIn(prof, email, "/instructor");
  await prof.locator("main").getByLabel("Nome da turma").fill(`Turma fix ${run} ${seq}`);
  await prof.getByRole("button", { name: "Criar turma" }).click();
  await prof.waitForURL(/\/instructor\/classes\/[^/]+$/);
  const classId = prof.url().split("/").pop()!;
  const code = await prof.getByTestId("class-code").inputValue();

  const learner = await (await browser.newContext()).newPage();
  await signUpAt(learner, `/join/${code}`, "Lia Fix");
  await learner.getByRole("button", { name: "Entrar nesta turma" }).click();
  await expect(learner.getByRole("status")).toBeVisible();
  const lesson = await firstLesson();
  await learner.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(learner, "pt-BR");
  await typeCommand(learner, "true");
  return { prof, learner, classId, code };
}

test("the class page hydrates without error when a learner's last activity is seconds old", async ({ browser }) => {
  const { prof, classId } = await classWithLearner(browser);
  const errors: string[] = [];
  prof.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  prof.on("pageerror", (e) => errors.push(e.message));
  await prof.goto(`/instructor/classes/${classId}`);
  await expect(prof.locator('tr[data-testid^="row-"]')).toHaveCount(1);
  await expect(prof.getByTestId("live-status")).toHaveAttribute("data-live", "on");
  await prof.waitForTimeout(1000); // hydration errors are reported as the page settles
  expect(errors.filter((e) => /418|hydrat/i.test(e))).toEqual([]);
});

test("refusals are in the page's language, answered 403, with no sign-in button for someone signed in", async ({ browser }) => {
  const { classId } = await classWithLearner(browser);
  const other = await (await browser.newContext()).newPage();
  await signUpAt(other, "/", "Outro Fix");
  for (const url of ["/instructor", "/admin", `/instructor/classes/${classId}`, `/en/instructor/classes/${classId}`]) {
    const res = await other.goto(url);
    expect(res?.status(), url).toBe(403);
    const main = other.locator("main");
    await expect(main.getByTestId("forbidden"), url).toBeVisible();
    const text = await main.innerText();
    if (url.startsWith("/en")) expect(text, url).toMatch(/account/i);
    else {
      expect(text, url).toMatch(/conta/);
      expect(text, url).not.toMatch(/Not allowed|Sign in|instructors\b/);
    }
    await expect(main.getByRole("link", { name: /^(Entrar|Sign in)$/ }), url).toHaveCount(0);
  }
  // A visitor who is not signed in is still offered to sign in.
  const guest = await (await browser.newContext()).newPage();
  const res = await guest.goto("/instructor");
  expect(res?.status()).toBe(403);
  await expect(guest.locator("main").getByRole("link", { name: "Entrar" })).toHaveAttribute("href", /\/signin\?next=%2Finstructor/);
});

test("the home page does not call a signed-in user's progress a guest session", async ({ browser }) => {
  const prof = await (await browser.newContext()).newPage();
  await signIn(prof, createInstructor(), "/");
  await expect(prof.locator("main")).toContainText("Seu progresso fica salvo na sua conta");
  await expect(prof.locator("main")).not.toContainText("sessão de visitante");
  const guest = await (await browser.newContext()).newPage();
  await guest.goto("/");
  await expect(guest.locator("main")).toContainText("sessão de visitante");
});

test("the instructor's times are in the viewer's time zone", async ({ browser }) => {
  const timezoneId = "Asia/Tokyo";
  const { prof, classId } = await classWithLearner(browser, { timezoneId });
  await prof.goto(`/instructor/classes/${classId}`);
  await prof.locator('tr[data-testid^="row-"] th a').click();
  const time = prof.locator('[data-testid="timeline"] time').first();
  await expect(time).toBeVisible();
  const iso = (await time.getAttribute("datetime"))!;
  const expected = new Intl.DateTimeFormat("pt-BR", { dateStyle: "short", timeStyle: "medium", timeZone: timezoneId }).format(
    new Date(iso),
  );
  await expect(time).toHaveText(expected);
});

test("the class page fits 1366 px and shows the whole invite link, with a copy button", async ({ browser }) => {
  const { prof, classId, code } = await classWithLearner(browser, { viewport: { width: 1366, height: 800 } });
  await prof.goto(`/instructor/classes/${classId}`);
  await expect(prof.locator('tr[data-testid^="row-"]')).toHaveCount(1);
  const overflow = await prof.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  const link = prof.getByTestId("join-link");
  const origin = new URL(prof.url()).origin;
  await expect(link).toHaveValue(`${origin}/join/${code}`);
  // The whole link is visible in the field (nothing scrolled out of it).
  expect(await link.evaluate((el: HTMLInputElement) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  await expect(prof.locator(".copy-field", { has: link }).getByRole("button", { name: "Copiar" })).toBeVisible();
});

test("a guest who signs up keeps their running sandbox and its files", async ({ browser }) => {
  const lesson = await firstLesson();
  const page = await (await browser.newContext()).newPage();
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  await typeCommand(page, `echo guardado-${run} > /root/do-visitante.txt`);
  expect(await commandOutput(page, "cat /root/do-visitante.txt", new RegExp(`(guardado-${run})`))).toBe(`guardado-${run}`);
  await signUpAt(page, lessonUrl("pt-BR", lesson), "Visitante Fix");
  await expectConnected(page, "pt-BR");
  // Upper-cased, so the terminal's earlier screen (the echo above) cannot be what matches.
  const again = await commandOutput(page, "tr a-z A-Z < /root/do-visitante.txt", /(GUARDADO-\S+)/);
  expect(again).toBe(`guardado-${run}`.toUpperCase());
});

import { spawnSync } from "node:child_process";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import en from "../app/_i18n/messages/en.json";
import ptBR from "../app/_i18n/messages/pt-BR.json";

/**
 * Accessibility (axe: no serious or critical violations) of the account and instructor pages, in
 * both locales, against the real app: sign-in/sign-up (also with an error shown), the instructor's
 * class list, and a class page with its live matrix (empty, then with a learner in it). The English
 * pages must show the English UI strings (from the app's own en.json, so a change there is followed).
 * The instructor is created with the CLI, in the same database as the app under test (DATABASE_URL
 * from the environment, as `npm test` and instructor.spec.ts do).
 */
const root = path.resolve(__dirname, "..");
const run = Date.now().toString(36);
const PASSWORD = "senha-e2e-segura";

function createUser(email: string, role: "instructor" | "admin", name: string): void {
  const r = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["scripts/create-user.ts", "--email", email, "--password", PASSWORD, "--role", role, "--name", name],
    { cwd: root, encoding: "utf8", env: process.env },
  );
  if (r.status !== 0) throw new Error(`create-user failed: ${r.stdout}\n${r.stderr}`);
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  expect(await seriousViolations(page), `${what}: serious/critical axe violations`).toEqual([]);
}

/** Waits until React has hydrated the form (its submit button is disabled until then). */
async function submitButton(page: Page, name: string) {
  const button = page.locator("main").getByRole("button", { name, exact: true });
  await expect(button).toBeEnabled();
  return button;
}

async function signIn(page: Page, email: string, next: string, locale: "pt-BR" | "en" = "pt-BR"): Promise<void> {
  const m = locale === "en" ? en.auth : ptBR.auth;
  await page.goto(`${locale === "en" ? "/en" : ""}/signin?next=${encodeURIComponent(next)}`);
  const main = page.locator("main");
  await main.getByLabel(m.email).fill(email);
  await main.getByLabel(m.password).fill(PASSWORD);
  await (await submitButton(page, m.submitSignIn)).click();
  await page.waitForURL((u) => u.pathname === next);
}

async function newPage(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

for (const [url, title] of [
  ["/signin", ptBR.auth.signInTitle],
  ["/signup", ptBR.auth.signUpTitle],
  ["/en/signin", en.auth.signInTitle],
  ["/en/signup", en.auth.signUpTitle],
] as const) {
  test(`${url} has no serious accessibility violations`, async ({ page }) => {
    await page.goto(url);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
    await expectAccessible(page, url);
  });
}

test("/en/signin speaks English and its error state is accessible", async ({ page }) => {
  await page.goto("/en/signin");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  const main = page.locator("main");
  await expect(main.getByLabel(en.auth.email)).toBeVisible();
  await expect(main.getByLabel(en.auth.password)).toBeVisible();
  await main.getByLabel(en.auth.email).fill(`nobody-${run}@example.org`);
  await main.getByLabel(en.auth.password).fill("wrong-password-1");
  await (await submitButton(page, en.auth.submitSignIn)).click();
  await expect(main.getByRole("alert")).toHaveText(en.auth.invalid);
  await expectAccessible(page, "/en/signin with an error");
});

test("instructor pages (pt-BR and en) have no serious accessibility violations; English UI in /en", async ({ browser }) => {
  test.setTimeout(240_000);
  const email = `prof-a11y-${run}@example.org`;
  createUser(email, "instructor", "Prof A11y");
  const className = `Turma a11y ${run}`;

  // The instructor's home (no classes yet), then a class created through the UI.
  const prof = await newPage(browser);
  await signIn(prof, email, "/instructor");
  await expect(prof.getByRole("heading", { level: 1 })).toHaveText(ptBR.instructor.title);
  await expectAccessible(prof, "/instructor");
  await prof.locator("main").getByLabel(ptBR.instructor.className).fill(className);
  await (await submitButton(prof, ptBR.instructor.create)).click();
  await prof.waitForURL(/\/instructor\/classes\/[^/]+$/);
  const classId = prof.url().split("/").pop()!;
  const code = await prof.getByTestId("class-code").inputValue();
  await expect(prof.getByRole("heading", { level: 1 })).toHaveText(className);
  await expect(prof.getByTestId("live-status")).toHaveAttribute("data-live", "on");
  await expect(prof.locator("main")).toContainText(ptBR.instructor.noLearners);
  await expectAccessible(prof, "/instructor/classes/<id> (no learners)");

  // A learner signs up and joins with the code: the matrix table appears (live) and is checked too.
  const learner = await newPage(browser);
  await learner.goto(`/signup?next=${encodeURIComponent(`/join/${code}`)}`);
  const lm = learner.locator("main");
  await lm.getByLabel(ptBR.auth.name).fill("Ana Acessível");
  await lm.getByLabel(ptBR.auth.email).fill(`ana-a11y-${run}@example.org`);
  await lm.getByLabel(ptBR.auth.password).fill(PASSWORD);
  await (await submitButton(learner, ptBR.auth.submitSignUp)).click();
  await learner.waitForURL(new RegExp(`/join/${code}$`));
  await (await submitButton(learner, ptBR.join.confirm)).click();
  await expect(learner.getByRole("status")).toContainText(className);
  const row = prof.locator('tr[data-testid^="row-"]');
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await expect(prof.locator("main").getByRole("table")).toBeVisible();
  await expectAccessible(prof, "/instructor/classes/<id> (with the matrix)");

  // The class list again, now with the class in it.
  await prof.goto("/instructor");
  await expect(prof.locator("main")).toContainText(className);
  await expectAccessible(prof, "/instructor (with a class)");

  // English: the class list.
  await prof.goto("/en/instructor");
  await expect(prof.locator("html")).toHaveAttribute("lang", "en");
  await expect(prof.getByRole("heading", { level: 1 })).toHaveText(en.instructor.title);
  await expect(prof.locator("main").getByLabel(en.instructor.className)).toBeVisible();
  await expect(prof.locator("main").getByRole("button", { name: en.instructor.create, exact: true })).toBeVisible();
  await expect(prof.locator("main")).toContainText(className);
  await expectAccessible(prof, "/en/instructor");

  // English: the class page and its matrix.
  await prof.goto(`/en/instructor/classes/${classId}`);
  await expect(prof.locator("html")).toHaveAttribute("lang", "en");
  await expect(prof.getByRole("heading", { level: 1 })).toHaveText(className);
  await expect(prof).toHaveTitle(new RegExp(en.instructor.matrixTitle));
  const main = prof.locator("main");
  await expect(main.getByRole("link", { name: en.instructor.back })).toHaveAttribute("href", "/en/instructor");
  await expect(main.getByRole("heading", { level: 2, name: en.instructor.matrixTitle })).toBeVisible();
  await expect(main.getByLabel(en.instructor.code, { exact: true })).toHaveValue(code);
  await expect(main.getByLabel(en.instructor.joinLink, { exact: true })).toHaveValue(new RegExp(`/en/join/${code}$`));
  await expect(main.getByTestId("export-csv")).toHaveText(en.instructor.exportCsv);
  await expect(main.getByLabel(en.instructor.order)).toBeVisible();
  await expect(main.getByLabel(en.instructor.onlyStuck)).toBeVisible();
  await expect(main.getByRole("columnheader", { name: en.instructor.learner, exact: true })).toBeVisible();
  await expect(main.getByRole("columnheader", { name: en.instructor.lastActivity, exact: true })).toBeVisible();
  await expect(prof.getByTestId("live-status")).toHaveText(new RegExp(`^${en.instructor.liveOn}`));
  await expect(row.getByTestId("row-passed")).toHaveText(/^0\/\d+$/);
  await expect(main).not.toContainText(ptBR.instructor.matrixTitle);
  await expectAccessible(prof, "/en/instructor/classes/<id>");
});

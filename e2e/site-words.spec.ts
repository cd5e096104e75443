import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { loadCourse, type Lesson } from "../content/lib/load";
import { expectConnected, expectTerminalToShow, homeUrl, lessonUrl, terminalText, typeCommand, type Locale } from "./helpers";

/**
 * How the site speaks and renders, against the real app in Chromium: lesson tables are real tables,
 * the first visit gets the browser's language (an explicit choice wins afterwards), and no page
 * logs a header error in the console.
 */

async function lessonById(id: string): Promise<Lesson> {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  const lesson = course.lessons.find((l) => l.id === id);
  if (!lesson) throw new Error(`lesson ${id} not found in content/lessons`);
  return lesson;
}

for (const locale of ["pt-BR", "en"] as const satisfies readonly Locale[]) {
  for (const id of ["02-lxc-namespaces", "04-chroot-container-vm"]) {
    test(`lesson ${id} shows its Markdown table as a table with header cells (${locale})`, async ({ page }) => {
      const lesson = await lessonById(id);
      await page.goto(lessonUrl(locale, lesson));
      const body = page.locator("main");
      const table = body.getByRole("table").first();
      await expect(table).toBeVisible();
      // Column headers are <th scope="col"> and the rows carry the lesson's cells.
      const headers = table.getByRole("columnheader");
      expect(await headers.count()).toBeGreaterThanOrEqual(2);
      await expect(table.locator("thead th[scope=col]").first()).toBeAttached();
      expect(await table.locator("tbody tr").count()).toBeGreaterThanOrEqual(3);
      // No raw Markdown pipes left in the text.
      expect(await body.innerText()).not.toMatch(/\|\s*-{3}\s*\|/);
      // The table sits in a named region that takes focus (it scrolls sideways on a phone).
      await expect(body.getByRole("region", { name: locale === "en" ? "Table" : "Tabela" }).getByRole("table")).toBeVisible();
    });
  }
}

test("a lesson table on a phone: axe finds no serious problem (a scrolling table must be reachable by keyboard)", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(lessonUrl("pt-BR", await lessonById("04-chroot-container-vm")));
  const region = page.locator(".lesson-table").first();
  await region.scrollIntoViewIfNeeded();
  const result = await new AxeBuilder({ page })
    .include(".lesson-table")
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"])
    .analyze();
  expect(result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
});

async function htmlLang(page: Page): Promise<string | null> {
  return page.locator("html").getAttribute("lang");
}

/** A new visitor's browser in a language (Playwright's `locale` sets Chromium's Accept-Language). */
async function visitHome(browser: Browser, locale: string): Promise<Page> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  await page.goto("/");
  return page;
}

test("a first visit gets the browser's language: English for English, Portuguese for anything else", async ({ browser }) => {
  for (const locale of ["en-US", "en-GB", "en"]) {
    const page = await visitHome(browser, locale);
    expect({ locale, path: new URL(page.url()).pathname }).toEqual({ locale, path: "/en" });
    expect(await htmlLang(page)).toBe("en");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.context().close();
  }
  for (const locale of ["pt-BR", "pt-PT", "de-DE", "ja"]) {
    const page = await visitHome(browser, locale);
    expect({ locale, path: new URL(page.url()).pathname }).toEqual({ locale, path: "/" });
    expect(await htmlLang(page)).toBe("pt-BR");
    await page.context().close();
  }
});

test("the learner's choice wins over the browser's language: the URL and the language switch", async ({ browser }) => {
  const lesson = await lessonById("02-lxc-namespaces");

  // A Portuguese lesson URL opened by an English browser stays Portuguese (a shared link means that page).
  const en = await browser.newContext({ locale: "en-US" });
  const p1 = await en.newPage();
  await p1.goto(lessonUrl("pt-BR", lesson));
  await expect(p1).toHaveURL(new RegExp(`${lessonUrl("pt-BR", lesson)}$`));
  expect(await htmlLang(p1)).toBe("pt-BR");
  await en.close();

  // An English browser lands on /en, switches to Portuguese, and the home stays Portuguese after.
  const en2 = await browser.newContext({ locale: "en-US" });
  const p2 = await en2.newPage();
  await p2.goto("/");
  await expect(p2).toHaveURL(/\/en$/);
  await p2
    .getByRole("navigation", { name: /language/i })
    .getByRole("link", { name: "Português" })
    .click();
  await expect(p2).toHaveURL(/\/$/);
  await expect(p2.locator("html")).toHaveAttribute("lang", "pt-BR");
  await p2.reload();
  expect(new URL(p2.url()).pathname).toBe("/");
  expect(await htmlLang(p2)).toBe("pt-BR");
  await p2.goto("/");
  expect(new URL(p2.url()).pathname).toBe("/");
  await en2.close();

  // A Portuguese browser that asks for /en gets English.
  const pt = await browser.newContext({ locale: "pt-BR" });
  const p3 = await pt.newPage();
  await p3.goto(homeUrl("en"));
  await expect(p3).toHaveURL(/\/en$/);
  expect(await htmlLang(p3)).toBe("en");
  await pt.close();
});

test("no page logs a Permissions-Policy error in the console (home and a lesson)", async ({ page }) => {
  const messages: string[] = [];
  page.on("console", (m) => messages.push(m.text()));
  const headerErrors = () => messages.filter((m) => /Permissions-Policy|Unrecognized feature/i.test(m));
  for (const url of [homeUrl("pt-BR"), homeUrl("en"), lessonUrl("en", await lessonById("01-o-que-e-docker"))]) {
    const res = await page.goto(url);
    expect(res!.headers()["permissions-policy"]).toContain("camera=()");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  }
  expect(headerErrors()).toEqual([]);
});

/** The terminal's visible text without any whitespace: a sentence wrapped over rows still matches. */
async function terminalWords(page: Page): Promise<string> {
  return (await terminalText(page)).replace(/\s+/g, "");
}

test("the sandbox's shell speaks the site's language: welcome and `curso` in English on the English site, Portuguese after a switch", async ({
  page,
}) => {
  const lesson = await lessonById("01-o-que-e-docker");
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  // A new learner's first shell: the English welcome, which no longer says the files are thrown away.
  await expectTerminalToShow(page, /Welcome to Learning Docker!/);
  await expect.poll(() => terminalWords(page)).toContain("Whenthesandboxends,yourfilesarekeptandcomebacknexttime");
  expect(await terminalText(page)).not.toMatch(/goes away at the end|Aprendendo Docker/);

  // Only the headings of `curso`'s answer (its digests would wrap over many rows); the pattern
  // itself names no whole heading, so the typed line cannot match what is looked for.
  const headings = "clear; curso | grep -E '^(Im|Lay|Cam|Hist)'";
  await typeCommand(page, headings);
  await expectTerminalToShow(page, /^Layers \(bottom → top\):$/m);
  await expectTerminalToShow(page, /^History:$/m);
  expect(await terminalText(page)).not.toMatch(/Camadas|Histórico|Imagem/);

  // The same sandbox opened from the Portuguese page: the app tells it the new language.
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  await typeCommand(page, headings);
  await expectTerminalToShow(page, /^Camadas \(de baixo para cima\):$/m);
  await expectTerminalToShow(page, /^Histórico:$/m);
  expect(await terminalText(page)).not.toMatch(/Layers|History/);
});

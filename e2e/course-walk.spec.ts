import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { loadCourse } from "../content/lib/load";
import { exerciseItem, expectConnected, homeUrl, lessonUrl, type Locale } from "./helpers";

/**
 * The whole course, as a learner does it, in each language: every lesson opened in a real
 * Chromium, every exercise's solution run in the page's terminal (the learner's own sandbox, the
 * engine included), and every Check passing by itself after the command. Ends on the course map.
 */
test.describe.configure({ timeout: 20 * 60_000 });

/** Runs a script in the terminal as one typed line: the file goes over as base64 (pasted), then bash runs it. */
async function runInTerminal(page: Page, script: string): Promise<void> {
  const b64 = Buffer.from(script, "utf8").toString("base64");
  await page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm").first().click();
  await page.keyboard.insertText(`echo ${b64} | base64 -d > /tmp/e2e-step.sh && bash /tmp/e2e-step.sh; rm -f /tmp/e2e-step.sh`);
  await page.keyboard.press("Enter");
}

for (const locale of ["pt-BR", "en"] as const satisfies readonly Locale[]) {
  test(`the whole course in ${locale}: each lesson's exercises done in the terminal, each Check passes by itself`, async ({ page }) => {
    const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
    for (const lesson of course.lessons) {
      await page.goto(lessonUrl(locale, lesson));
      await expectConnected(page, locale);
      for (const ex of lesson.exercises) {
        await runInTerminal(page, ex.scripts.solution);
        await expect(exerciseItem(page, ex.id), `${lesson.id} / ${ex.id}`).toHaveAttribute("data-state", "passed", { timeout: 90_000 });
      }
    }
    await page.goto(homeUrl(locale));
    await expect(page.locator("li.lesson-card")).toHaveCount(course.lessons.length);
    await expect(page.locator("li.lesson-card.lesson-card--done")).toHaveCount(course.lessons.length);
  });
}

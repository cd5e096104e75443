import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { expectConnected, firstLesson, homeUrl } from "./helpers";

/** axe on the course map and a lesson page (with its terminal connected): no serious or critical violations. */
async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

for (const locale of ["pt-BR", "en"] as const) {
  test(`course map has no serious accessibility violations (${locale})`, async ({ page }) => {
    await page.goto(homeUrl(locale));
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
}

test("lesson page has no serious accessibility violations (pt-BR)", async ({ page }) => {
  const lesson = await firstLesson();
  await page.goto(`/licoes/${lesson.slugs["pt-BR"]}`);
  await expectConnected(page, "pt-BR");
  expect(await seriousViolations(page)).toEqual([]);
});

import { expect, test } from "@playwright/test";
import {
  clickAndWaitForAction,
  exerciseItem,
  expectConnected,
  firstLesson,
  homeUrl,
  lessonUrl,
  solutionLine,
  typeCommand,
} from "./helpers";

/**
 * A lesson is complete when all its exercises pass, and the course map says so: a new learner runs
 * lesson 1's solutions in the terminal, both Checks pass by themselves, the map marks the lesson done.
 */
test.describe.configure({ timeout: 60_000 });

test("lesson 1 with every exercise passed shows as done on the course map", async ({ page }) => {
  const lesson = await firstLesson();
  const card = page.locator("li.lesson-card").filter({ has: page.locator(`a[href$="${lessonUrl("pt-BR", lesson)}"]`) });
  await page.goto(homeUrl("pt-BR"));
  await expect(card).toHaveClass(/lesson-card--notStarted/);

  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  for (const ex of lesson.exercises) {
    await typeCommand(page, solutionLine(lesson, ex.id));
    await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  }
  await expect(page.getByText("Todos os exercícios desta lição estão completos.")).toBeVisible();

  await page.goto(homeUrl("pt-BR"));
  await expect(card).toHaveClass(/lesson-card--done/);
  await expect(card.locator(".badge")).toHaveText("Concluída");
  await expect(card.locator("progress")).toHaveAttribute("value", String(lesson.exercises.length));
  await expect(page.locator(".hero__overall")).toContainText(`1 de`);
});

test("the solution is offered after 3 failed Checks, still after a reload; opening it is recorded", async ({ page }) => {
  const lesson = await firstLesson();
  const second = lesson.exercises[1]!;
  const item = exerciseItem(page, second.id);
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  const check = page.getByRole("button", { name: /^Check(ing…)?$/ });
  for (let i = 1; i <= 3; i++) {
    await expect(item.getByTestId("solution-offer")).toHaveCount(0);
    await expect(page.locator(".course-exercises")).toHaveAttribute("data-checking", "0");
    // Waits for this press's own Check to answer (a fast Check may be over before "checking…" is seen).
    await clickAndWaitForAction(page, check, '"manual"');
    await expect(page.locator(".course-exercises")).toHaveAttribute("data-checking", "0", { timeout: 30_000 });
  }
  await expect(item.getByTestId("solution-offer")).toContainText("3 checks without success");

  // The count comes from the recorded attempts: a reload keeps the offer.
  await page.reload();
  await expect(item.getByTestId("solution-offer")).toContainText("3 checks without success");
  // The server-rendered button is there before the page is live: a click before hydration is lost.
  await expectConnected(page, "en");
  // Shown at once; the reload waits for the record (else it would race it and find nothing saved).
  await clickAndWaitForAction(page, item.getByRole("button", { name: "Show the solution" }), `"${second.id}"`);
  await expect(item.getByTestId("solution")).toContainText("ps -p 1 -o comm=");
  await page.reload();
  await expect(item.getByTestId("solution")).toContainText("ps -p 1 -o comm=");
});

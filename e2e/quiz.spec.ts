import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { loadCourse, type Lesson } from "../content/lib/load";
import { lessonUrl } from "./helpers";

/**
 * The quiz as a learner meets it: choices shuffled per learner (the right one is not found by its
 * place), the same order for that learner after a reload, answers judged by the content whatever
 * the order, and "predict the output" questions showing their commands.
 */
async function firstTwoLessons(): Promise<[Lesson, Lesson]> {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  return course.lessons.slice(0, 2) as [Lesson, Lesson];
}

/** Each question's choice texts in the order shown, once the learner's order has loaded. */
async function shownOrders(page: Page, lesson: Lesson): Promise<string[][]> {
  await page.goto(lessonUrl("pt-BR", lesson));
  const choices = page.locator(".quiz__choices");
  await expect(choices).toHaveCount(lesson.content["pt-BR"].quiz.length);
  await expect(page.locator('.quiz__choices[aria-busy="true"]')).toHaveCount(0, { timeout: 20_000 });
  return choices.evaluateAll((lists) => lists.map((l) => [...l.querySelectorAll(".quiz__choice")].map((c) => c.textContent!.trim())));
}

async function newLearner(browser: Browser): Promise<Page> {
  return (await browser.newContext()).newPage();
}

test("each learner sees the choices in an order of their own, kept across reloads; answers count by content", async ({ browser }) => {
  const [lesson1, lesson2] = await firstTwoLessons();
  const ana = await newLearner(browser);
  const anaOrders = [...(await shownOrders(ana, lesson1)), ...(await shownOrders(ana, lesson2))];
  const bia = await newLearner(browser);
  const biaOrders = [...(await shownOrders(bia, lesson1)), ...(await shownOrders(bia, lesson2))];

  // Same choices, and for each learner a different order somewhere (7 questions: all equal by chance ≈ 4 in a million).
  expect(biaOrders.map((o) => [...o].sort())).toEqual(anaOrders.map((o) => [...o].sort()));
  expect(biaOrders).not.toEqual(anaOrders);
  // The right answer is not always where the frontmatter puts it.
  const contentOrders = [lesson1, lesson2].flatMap((l) =>
    l.content["pt-BR"].quiz.map((q) => q.choices.map((c) => c.text.replace(/`/g, ""))),
  );
  expect(anaOrders).not.toEqual(contentOrders);

  // Ana answers every question of lesson 1 right by its text, wherever it is shown.
  await ana.goto(lessonUrl("pt-BR", lesson1));
  for (const q of lesson1.content["pt-BR"].quiz) {
    const right = q.choices.find((c) => c.correct)!.text.replace(/`/g, "");
    const item = ana.locator(".quiz__question").filter({ hasText: q.question.replace(/`/g, "").slice(0, 30) });
    await item.locator(".quiz__choice", { hasText: right }).click();
    await expect(item.locator(".quiz__feedback.is-correct")).toBeVisible();
  }
  await expect(ana.locator(".quiz__score")).toContainText(`${lesson1.content["pt-BR"].quiz.length}`);

  await ana.waitForLoadState("networkidle"); // the last answer is saved
  // After a reload: her order is the same, and her answers are still right.
  expect(await shownOrders(ana, lesson1)).toEqual(anaOrders.slice(0, lesson1.content["pt-BR"].quiz.length));
  await expect(ana.locator(".quiz__feedback.is-correct")).toHaveCount(lesson1.content["pt-BR"].quiz.length);
});

test("a predict-the-output question shows the commands it asks about", async ({ page }) => {
  const [lesson1] = await firstTwoLessons();
  const q = lesson1.content.en.quiz.find((x) => x.code)!;
  await page.goto(lessonUrl("en", lesson1));
  const item = page.locator(".quiz__question").filter({ hasText: q.question.slice(0, 30) });
  await expect(item.locator("pre.quiz__code")).toContainText("docker run --rm debian:bookworm uname -r");
});

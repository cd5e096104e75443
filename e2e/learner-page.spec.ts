import AxeBuilder from "@axe-core/playwright";
import path from "node:path";
import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { loadCourse } from "../content/lib/load";
import { exerciseItem, expectConnected, expectTerminalToShow, firstLesson, lessonUrl, solutionLine, typeCommand } from "./helpers";

/**
 * The learner's page (issue #13): the task beside the terminal on 390, 768, 1024 and 1440 px
 * (screenshots kept as artifacts), a pass announced wherever the learner is scrolled, the phone's
 * Lesson/Terminal switch that a "run in the terminal" click follows, the end of a lesson and of the
 * course, the keyboard path from the terminal to Check, and axe in the light and dark themes.
 */
test.describe.configure({ timeout: 150_000 });

const WIDTHS = [
  { width: 390, height: 844 },
  { width: 768, height: 1024 },
  { width: 1024, height: 768 },
  { width: 1440, height: 900 },
] as const;
/** Below this width the panes take turns (globals.css, .course-split). */
const NARROW = 900;

const taskPanel = (page: Page) => page.getByTestId("task-panel");
const announcement = (page: Page) => page.getByTestId("pass-announcement");

/** A screenshot kept with the run's results (test-results/…), attached to the report. */
async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file });
  await testInfo.attach(name, { path: file, contentType: "image/png" });
}

/** The terminal's toolbar on one row (every tool crosses one horizontal line), nothing cut off. */
async function expectToolbarOnOneRow(page: Page, width: number): Promise<void> {
  const toolbar = page.locator(".course-terminal [role=toolbar]");
  const boxes = await toolbar.evaluate((el) =>
    Array.from(el.children, (c) => {
      const r = (c as HTMLElement).getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, right: r.right };
    }),
  );
  const oneRow = Math.max(...boxes.map((b) => b.top)) < Math.min(...boxes.map((b) => b.bottom));
  expect(oneRow, `toolbar boxes at ${width} px: ${JSON.stringify(boxes)}`).toBe(true);
  expect(await toolbar.evaluate((el) => el.scrollWidth <= el.clientWidth), `toolbar overflows at ${width} px`).toBe(true);
}

async function showTerminal(page: Page, width: number): Promise<void> {
  if (width < NARROW) await page.locator(".course-switch").getByRole("button", { name: "Terminal", exact: true }).click();
  await expect(page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm")).toBeVisible();
}

for (const size of WIDTHS) {
  test(`task panel beside the terminal and a pass announced where the learner is, at ${size.width} px`, async ({ page }, testInfo) => {
    const lesson = await firstLesson();
    const [first, second] = lesson.exercises;
    await page.setViewportSize(size);
    await page.goto(lessonUrl("en", lesson));
    await expectConnected(page, "en");
    await showTerminal(page, size.width);

    // The current task is the first exercise, shown on the terminal's side, with its Check.
    const panel = taskPanel(page);
    await expect(panel).toBeVisible();
    await expect(panel).toHaveAttribute("data-exercise", first!.id);
    await expect(panel).toHaveAttribute("data-state", "pending");
    await expect(panel).toContainText(first!.title.en);
    const check = panel.getByRole("button", { name: `Check: ${first!.title.en}` });
    await expect(check).toBeInViewport();
    // Terminal and task share the screen: both are in view together.
    await expect(page.locator(".course-terminal [role=tabpanel]:not([hidden])")).toBeInViewport();
    if (size.width >= 1024) await expectToolbarOnOneRow(page, size.width);
    await keepScreenshot(page, testInfo, `task-panel-${size.width}`);

    // Do the first exercise; then look at the top of the lesson, far from the terminal.
    await typeCommand(page, solutionLine(lesson, first!.id));
    if (size.width < NARROW) await page.locator(".course-switch").getByRole("button", { name: "Lesson", exact: true }).click();
    await page.locator(".course-split-lesson h1").scrollIntoViewIfNeeded();
    const toast = announcement(page);
    await expect(toast).toHaveAttribute("aria-live", "polite");
    await expect(toast).toHaveAttribute("role", "status");
    await expect(toast).toContainText(`Done: ${first!.title.en}`, { timeout: 30_000 });
    await expect(toast).toContainText(`Next: ${second!.title.en}`);
    await expect(toast).toBeInViewport();
    await keepScreenshot(page, testInfo, `pass-announced-${size.width}`);

    // The task moved on; the checklist agrees.
    await expect(exerciseItem(page, first!.id)).toHaveAttribute("data-state", "passed");
    await expect(panel).toHaveAttribute("data-exercise", second!.id);
  });
}

test("1024 px in Portuguese (longer words): the toolbar still fits on one row", async ({ page }) => {
  const lesson = await firstLesson();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  await expectToolbarOnOneRow(page, 1024);
});

test("phone: a 'run in the terminal' click follows to the terminal, says what was sent, and the command runs", async ({
  page,
}, testInfo) => {
  const lesson = await firstLesson();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await expect(page.locator(".course-split")).toHaveAttribute("data-view", "lesson");
  await expect(page.locator(".course-terminal")).toBeHidden();

  const run = page.getByRole("button", { name: "Run in the terminal: uname -r", exact: true });
  await run.scrollIntoViewIfNeeded();
  await run.click();
  await expect(page.locator(".course-split")).toHaveAttribute("data-view", "terminal");
  const term = page.locator(".course-terminal [role=tabpanel]:not([hidden])");
  await expect(term).toBeInViewport();
  await expect(page.getByTestId("sent-to-terminal")).toHaveText("Sent to the terminal: uname -r");
  await expect(page.getByTestId("sent-to-terminal")).toBeInViewport();
  await expect(term.locator(".xterm-helper-textarea")).toBeFocused();
  await expectTerminalToShow(page, /^\d+\.\d+\.\d+\S*$/m);
  await keepScreenshot(page, testInfo, "phone-run-followed");

  // Back to the lesson, right where it was.
  await page.locator(".course-switch").getByRole("button", { name: "Lesson", exact: true }).click();
  await expect(run).toBeInViewport();
});

test("the end of a lesson: complete, what was practised, the next lesson", async ({ page }, testInfo) => {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  const [lesson, next] = course.lessons;
  await page.goto(lessonUrl("en", lesson!));
  await expectConnected(page, "en");
  for (const ex of lesson!.exercises) {
    await typeCommand(page, solutionLine(lesson!, ex.id));
    await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  }
  await expect(announcement(page)).toContainText("Lesson complete");
  const panel = taskPanel(page);
  await expect(panel).toHaveAttribute("data-state", "complete");
  const done = panel.getByTestId("lesson-complete");
  await expect(done.getByRole("heading", { name: "Lesson complete" })).toBeVisible();
  await expect(done).toContainText(`You did every exercise of “${lesson!.content.en.title}”.`);
  for (const ex of lesson!.exercises) await expect(done.getByRole("listitem").filter({ hasText: ex.title.en })).toHaveCount(1);
  const link = done.getByRole("link", { name: `Next lesson: ${next!.content.en.title}` });
  await expect(link).toHaveAttribute("href", lessonUrl("en", next!));
  // The same end at the bottom of the lesson's text (what a phone's lesson view shows).
  await expect(page.locator(".lesson-end").getByTestId("lesson-complete")).toContainText("Lesson complete");
  await keepScreenshot(page, testInfo, "lesson-complete");

  // A reload keeps the state (it comes from the recorded passes), and the link leads on.
  await page.reload();
  await expect(taskPanel(page)).toHaveAttribute("data-state", "complete");
  await expectConnected(page, "en");
  await taskPanel(page)
    .getByRole("link", { name: `Next lesson: ${next!.content.en.title}` })
    .click();
  await page.waitForURL((u) => u.pathname === lessonUrl("en", next!));
  await expect(taskPanel(page)).toHaveAttribute("data-exercise", next!.exercises[0]!.id);
});

test("the end of the last lesson: the lessons still open, with links, and the course map", async ({ page }) => {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  const last = course.lessons.at(-1)!;
  await page.goto(lessonUrl("en", last));
  await expectConnected(page, "en");
  for (const ex of last.exercises) {
    // These solutions have multi-line shell (if … fi): run the script itself, as a learner could paste it.
    const script = Buffer.from(ex.scripts.solution).toString("base64");
    await typeCommand(page, `echo ${script} | base64 -d | bash`);
    await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "passed", { timeout: 60_000 });
  }
  const done = taskPanel(page).getByTestId("lesson-complete");
  await expect(done).toHaveAttribute("data-course-complete", "0");
  await expect(done).toContainText("Lessons still open:");
  for (const l of course.lessons.slice(0, -1))
    await expect(done.getByRole("link", { name: l.content.en.title, exact: true })).toHaveAttribute("href", lessonUrl("en", l));
  await expect(done.getByRole("link", { name: "Go to the course map" })).toHaveAttribute("href", "/en");
});

test("keyboard: from the terminal, Esc then Tab reaches the task's Check; Enter checks", async ({ page }) => {
  const lesson = await firstLesson();
  const first = lesson.exercises[0]!;
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  // Into the terminal with the skip link.
  for (let i = 0; i < 30; i++) {
    if ((await page.evaluate(() => document.activeElement?.textContent?.trim())) === "Skip to the terminal") break;
    await page.keyboard.press("Tab");
  }
  await page.keyboard.press("Enter");
  const input = page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-helper-textarea");
  await expect(input).toBeFocused();
  await page.keyboard.type("true", { delay: 5 });
  await page.keyboard.press("Enter");
  // Two keys: Esc, Tab.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  const check = taskPanel(page).getByRole("button", { name: `Check: ${first.title.en}` });
  await expect(check).toBeFocused();
  await expect(check).toHaveAttribute("aria-keyshortcuts", "Escape Tab");
  await page.keyboard.press("Enter");
  await expect(taskPanel(page)).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "failed");
  await expect(check).toBeFocused(); // the focus stays for the next try
  await expect(page.locator("#course-terminal-keys")).toContainText("Esc then Tab leaves the terminal for the task's Check");
});

for (const theme of ["light", "dark"] as const) {
  test(`lesson page with the task panel, a failed check and a hint: no serious axe violations (${theme} theme)`, async ({ page }) => {
    const lesson = await firstLesson();
    await page.addInitScript((t) => localStorage.setItem("course:theme", t), theme);
    await page.goto(lessonUrl("en", lesson));
    await expectConnected(page, "en");
    await expect(page.locator("html")).toHaveAttribute("data-theme", theme);
    const panel = taskPanel(page);
    await panel.getByRole("button", { name: /^Check: / }).click();
    await expect(panel).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
    await panel.getByRole("button", { name: "Hint", exact: true }).click();
    await expect(panel.locator(".task-panel__hint")).toBeVisible();
    const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
    const serious = result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
    expect(serious).toEqual([]);
  });
}

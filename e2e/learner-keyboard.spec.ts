import { expect, test, type Page } from "@playwright/test";
import { exerciseItem, expectConnected, expectTerminalToShow, firstLesson, lessonUrl } from "./helpers";

/**
 * Keyboard only (no mouse click anywhere): reach the terminal with Tab and Enter (via the skip
 * link), type a command, leave the terminal (Esc then Shift+Tab: Tab itself belongs to the shell),
 * reach the Check button and a hint, and use them with Enter.
 */
test.describe.configure({ timeout: 60_000 });

/** What has the focus: a short description to compare against. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return "";
    if (el.classList.contains("xterm-helper-textarea")) return `terminal:${el.getAttribute("aria-label")}`;
    return `${el.tagName.toLowerCase()}:${(el.textContent ?? "").trim()}`;
  });
}

/** Presses `key` until `want(focus)` holds (or fails after `max` presses); returns the focus description. */
async function pressUntil(page: Page, key: string, want: (f: string) => boolean, max = 200): Promise<string> {
  for (let i = 0; i < max; i++) {
    const f = await focused(page);
    if (want(f)) return f;
    await page.keyboard.press(key);
  }
  throw new Error(`${key} ×${max} never reached the wanted element (last focus: ${await focused(page)})`);
}

test("keyboard only: terminal, Check and a hint with Tab and Enter", async ({ page }) => {
  const lesson = await firstLesson();
  const second = lesson.exercises[1]!;
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  expect(await focused(page)).not.toMatch(/^terminal:/); // the page does not throw the focus into the terminal

  // The skip link is among the first stops; Enter on it lands in the terminal region.
  await pressUntil(page, "Tab", (f) => f === "a:Skip to the terminal", 30);
  await page.keyboard.press("Enter");
  const term = await pressUntil(page, "Tab", (f) => f.startsWith("terminal:"), 30);
  expect(term).toBe("terminal:Sandbox terminal: Terminal 1");
  const textarea = page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-helper-textarea");
  await expect(textarea).toHaveAttribute("aria-describedby", "course-terminal-keys");
  await expect(page.locator("#course-terminal-keys")).toContainText("Esc then Tab");

  await page.keyboard.type('echo "keys-$((5*5))"', { delay: 5 });
  await page.keyboard.press("Enter");
  await expectTerminalToShow(page, /^keys-25$/m);
  // Tab alone stays in the terminal (shell completion)...
  await page.keyboard.press("Tab");
  expect(await focused(page)).toMatch(/^terminal:/);
  // ...Esc then Shift+Tab leaves it; keep going back to the lesson's Check button.
  await page.keyboard.press("Escape");
  await page.keyboard.press("Shift+Tab");
  expect(await focused(page)).not.toMatch(/^terminal:/);
  // ("Checking…" while the command's automatic Check runs: a press then queues one more run.)
  await pressUntil(page, "Shift+Tab", (f) => f === "button:Check" || f === "button:Checking…");
  await page.keyboard.press("Enter");
  await expect(exerciseItem(page, second.id)).toHaveAttribute("data-state", "failed", { timeout: 30_000 });

  // Forward, past exercise 1's own hint button, to exercise 2's.
  const target = exerciseItem(page, second.id).getByRole("button", { name: "Show a hint" });
  for (let i = 0; i < 40 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(target).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(exerciseItem(page, second.id).getByTestId("hint")).toHaveCount(1);
  await expect(exerciseItem(page, second.id).getByTestId("hint")).toContainText("Hint 1 of");
});

for (const [locale, skip] of [
  ["en", "Skip to the terminal"],
  ["pt-BR", "Pular para o terminal"],
] as const) {
  test(`the skip link lands in the terminal's input: what is typed next runs; Esc then Tab leaves (${locale})`, async ({ page }) => {
    const lesson = await firstLesson();
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    await pressUntil(page, "Tab", (f) => f === `a:${skip}`, 30);
    await page.keyboard.press("Enter");
    await expect(page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-helper-textarea")).toBeFocused();
    await page.keyboard.type('echo "skip-$((6*7))"', { delay: 5 });
    await page.keyboard.press("Enter");
    await expectTerminalToShow(page, /^skip-42$/m);
    await page.keyboard.press("Escape");
    await page.keyboard.press("Tab");
    expect(await focused(page)).not.toMatch(/^terminal:/);
  });
}

import { expect, test } from "@playwright/test";
import {
  exerciseItem,
  expectConnected,
  expectTerminalToShow,
  firstLesson,
  lessonUrl,
  recordAlerts,
  runnerAsApp,
  sandboxIdOf,
  solutionLine,
  terminalAlert,
  typeCommand,
  ui,
  type Locale,
} from "./helpers";

/**
 * Bugs of the learner's lesson page found in a full walkthrough (issue 13), each reproduced in a
 * real Chromium against the real app, runner and containers: closed tabs that left their shells
 * running, a reset announced as "expired", the Paste button keeping the focus, emoji status icons,
 * a failed Check's message lost on reload, untried exercises shown as failed.
 */
test.describe.configure({ timeout: 90_000 });

const words = {
  "pt-BR": {
    addTab: "Novo terminal",
    closeTab: /^Fechar terminal \d+$/,
    tabs: "Terminais",
    reset: "Reiniciar sandbox",
    resetDialog: "Reiniciar o sandbox?",
    resetConfirm: "Sim, reiniciar",
    resetDone: "Sandbox reiniciado",
    expired: /expirou/,
    paste: "Colar",
    notTried: "ainda não tentado",
    failed: "ainda não",
    passed: "ok",
  },
  en: {
    addTab: "New terminal",
    closeTab: /^Close terminal \d+$/,
    tabs: "Terminals",
    reset: "Reset sandbox",
    resetDialog: "Reset the sandbox?",
    resetConfirm: "Yes, reset",
    resetDone: "Sandbox reset",
    expired: /expired/,
    paste: "Paste",
    notTried: "not tried yet",
    failed: "not yet",
    passed: "ok",
  },
} as const;

test("closing a terminal tab ends its shell on the runner: open and close three times, '+' still opens one", async ({ page }) => {
  const w = words["pt-BR"];
  const lesson = await firstLesson();
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  const sandbox = await sandboxIdOf(page);
  const tabs = page.getByRole("tablist", { name: w.tabs }).getByRole("tab");
  const runner = runnerAsApp();
  for (let i = 0; i < 3; i++) {
    await page.getByRole("button", { name: w.addTab }).click();
    await expect(tabs).toHaveCount(2);
    await expectConnected(page, "pt-BR");
    await expect.poll(async () => (await runner.listTerminals(sandbox)).length, { timeout: 30_000 }).toBe(2);
    await page.getByRole("button", { name: w.closeTab }).click();
    await expect(tabs).toHaveCount(1);
    // The closed tab's shell is gone from the runner, not left running in the sandbox.
    await expect.poll(async () => (await runner.listTerminals(sandbox)).length, { timeout: 30_000 }).toBe(1);
  }
  await page.getByRole("button", { name: w.addTab }).click();
  await expect(tabs).toHaveCount(2);
  await expectConnected(page, "pt-BR");
  await expect(terminalAlert(page)).toHaveCount(0);
  // Processes on two terminals only (one per open tab), none left over from the closed ones.
  await typeCommand(page, 'echo "ttys=$(ps -eo tty= | grep -v "?" | sort -u | wc -l)"');
  await expectTerminalToShow(page, /^ttys=2$/m);
});

for (const locale of ["pt-BR", "en"] as const satisfies readonly Locale[]) {
  test(`reset sandbox says it was reset, never that it expired (${locale})`, async ({ page }) => {
    const w = words[locale];
    const lesson = await firstLesson();
    const alerts = await recordAlerts(page);
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    const before = await sandboxIdOf(page);
    await typeCommand(page, 'echo "antes-$((2+5))"');
    await expectTerminalToShow(page, /^antes-7$/m);

    await page.getByRole("button", { name: w.reset }).click();
    const dialog = page.getByRole("dialog", { name: w.resetDialog });
    await dialog.getByRole("button", { name: w.resetConfirm }).click();
    await expect.poll(() => sandboxIdOf(page).catch(() => before), { timeout: 30_000 }).not.toBe(before);
    await expectConnected(page, locale);
    await expect(terminalAlert(page)).toContainText(w.resetDone);
    // The old tab's connection notices its sandbox is gone too: that must not turn into "expired".
    await typeCommand(page, 'echo "depois-$((3+5))"');
    await expectTerminalToShow(page, /^depois-8$/m);
    await expect(terminalAlert(page)).toContainText(w.resetDone);
    await expect(terminalAlert(page)).not.toContainText(w.expired);
    // Not even for a moment on the way (a notice replaced by the next one is still read out).
    expect((await alerts()).filter((a) => w.expired.test(a))).toEqual([]);
  });
}

test("after the Paste button the focus is back in the terminal: Enter runs the pasted line", async ({ page, context }) => {
  const lesson = await firstLesson();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  for (const locale of ["en", "pt-BR"] as const) {
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    const n = locale === "en" ? 4 : 5;
    await page.evaluate((cmd) => navigator.clipboard.writeText(cmd), `echo "colado-$((${n}*3))"`);
    await page.getByRole("button", { name: words[locale].paste, exact: true }).click();
    await expectTerminalToShow(page, new RegExp(`# echo "colado-\\$\\(\\(${n}\\*3\\)\\)"$`, "m"));
    await expect(page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-helper-textarea")).toBeFocused();
    await page.keyboard.press("Enter");
    await expectTerminalToShow(page, new RegExp(`^colado-${n * 3}$`, "m"));
  }
});

test("exercise status icons are drawn (SVG), not emoji; the state is also in words", async ({ page }) => {
  const lesson = await firstLesson();
  const [first, second] = lesson.exercises;
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await typeCommand(page, solutionLine(lesson, first!.id));
  await expect(exerciseItem(page, first!.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  await page.getByRole("button", { name: /^Check(ing…)?$/ }).click();
  await expect(exerciseItem(page, second!.id)).toHaveAttribute("data-state", "failed", { timeout: 30_000 });

  const list = page.locator(".course-exercises");
  expect(await list.evaluate((el) => /\p{Extended_Pictographic}/u.test(el.textContent ?? ""))).toBe(false);
  for (const [id, state, label] of [
    [first!.id, "passed", words.en.passed],
    [second!.id, "failed", words.en.failed],
  ] as const) {
    const icon = exerciseItem(page, id).locator(`h3 svg[data-icon="${state}"]`);
    await expect(icon).toBeVisible();
    expect((await icon.boundingBox())!.width).toBeGreaterThan(8);
    await expect(exerciseItem(page, id).getByRole("heading", { level: 3 })).toContainText(`(${label})`);
  }
});

test("a failed Check's message is still shown after a reload", async ({ page }) => {
  const lesson = await firstLesson();
  const second = lesson.exercises[1]!;
  const item = exerciseItem(page, second.id);
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await page.getByRole("button", { name: /^Check(ing…)?$/ }).click();
  await expect(item).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
  const message = (await item.getByTestId("check-message").innerText()).trim();
  expect(message).not.toBe("");

  await page.reload();
  await expect(item).toHaveAttribute("data-state", "failed");
  await expect(item.getByTestId("check-message")).toHaveText(message);
});

for (const locale of ["pt-BR", "en"] as const satisfies readonly Locale[]) {
  test(`exercises not tried yet stay neutral after automatic Checks; a manual Check marks them (${locale})`, async ({ page }) => {
    const w = words[locale];
    const lesson = await firstLesson();
    const [first, second] = lesson.exercises;
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    for (const ex of lesson.exercises) {
      await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "pending");
      await expect(exerciseItem(page, ex.id).getByRole("heading", { level: 3 })).toContainText(`(${w.notTried})`);
    }
    // The lesson's first click-to-run, then a command that passes exercise 1: automatic Checks ran.
    await page.getByRole("button", { name: ui[locale].run }).first().click();
    await typeCommand(page, solutionLine(lesson, first!.id));
    await expect(exerciseItem(page, first!.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
    for (const ex of lesson.exercises.slice(1)) {
      await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "pending");
      await expect(exerciseItem(page, ex.id).getByTestId("check-message")).toHaveText("");
    }
    await page.reload();
    await expect(exerciseItem(page, second!.id)).toHaveAttribute("data-state", "pending");

    // The learner asks: now exercise 2 has been tried, and says so.
    await expectConnected(page, locale);
    await page.getByRole("button", { name: locale === "en" ? /^Check(ing…)?$/ : /^Verifica(r|ndo…)$/ }).click();
    await expect(exerciseItem(page, second!.id)).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
    await expect(exerciseItem(page, second!.id).getByRole("heading", { level: 3 })).toContainText(`(${w.failed})`);
  });
}

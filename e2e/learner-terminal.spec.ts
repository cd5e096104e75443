import { expect, test } from "@playwright/test";
import {
  commandOutput,
  exerciseItem,
  expectConnected,
  expectTerminalToShow,
  firstLesson,
  lessonUrl,
  runnerAsApp,
  sandboxIdOf,
  solutionLine,
  terminalAlert,
  terminalText,
  typeCommand,
} from "./helpers";

/**
 * The terminal panel's own controls against the real app, runner and containers: a second
 * Terminal tab in the same sandbox (screens kept apart, both back after a reload) and "reset
 * sandbox" behind a confirmation (cancel keeps everything; confirm gives a fresh container while
 * recorded progress stays).
 */
test.describe.configure({ timeout: 60_000 });

test("a second terminal tab: own screen, the first intact, both survive a reload", async ({ page }) => {
  const lesson = await firstLesson();
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  const sandbox = await sandboxIdOf(page);
  await typeCommand(page, 'echo "aba-um-$((1+1))"');
  await expectTerminalToShow(page, /^aba-um-2$/m);

  await page.getByRole("button", { name: "Novo terminal" }).click();
  const tabs = page.getByRole("tablist", { name: "Terminais" }).getByRole("tab");
  await expect(tabs).toHaveCount(2);
  await expect(tabs.nth(1)).toHaveAttribute("aria-selected", "true");
  await expectConnected(page, "pt-BR");
  // Same sandbox (the file made in tab 2 is seen from tab 1), another shell.
  await typeCommand(page, 'echo "aba-dois-$((2+2))" | tee /tmp/da-aba-dois');
  await expectTerminalToShow(page, /^aba-dois-4$/m);
  expect(await terminalText(page)).not.toMatch(/aba-um-2/);
  expect(await sandboxIdOf(page)).toBe(sandbox);

  await tabs.nth(0).click();
  await expect(tabs.nth(0)).toHaveAttribute("aria-selected", "true");
  await expectTerminalToShow(page, /^aba-um-2$/m);
  expect(await terminalText(page)).not.toMatch(/aba-dois-4/);
  await typeCommand(page, 'echo "visto-$(cat /tmp/da-aba-dois)"');
  await expectTerminalToShow(page, /^visto-aba-dois-4$/m);

  await page.reload();
  await expect(tabs).toHaveCount(2);
  await expectConnected(page, "pt-BR");
  await expectTerminalToShow(page, /^aba-um-2$/m);
  await expectTerminalToShow(page, /^visto-aba-dois-4$/m);
  await tabs.nth(1).click();
  await expectConnected(page, "pt-BR");
  await expectTerminalToShow(page, /^aba-dois-4$/m);
  expect(await terminalText(page)).not.toMatch(/aba-um-2/);
});

test("reset sandbox: cancel keeps it; confirm gives a fresh container and keeps recorded progress", async ({ page }) => {
  const lesson = await firstLesson();
  const first = lesson.exercises[0]!;
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  const before = await sandboxIdOf(page);
  const host = await commandOutput(page, 'touch /root/antes-do-reset; echo "host=$(hostname)"', /^host=(\S+)$/m);
  await typeCommand(page, solutionLine(lesson, first.id));
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  await expect(exerciseItem(page, first.id).getByTestId("passed-at")).toContainText("Concluído em");

  const reset = page.getByRole("button", { name: "Reiniciar sandbox" });
  const dialog = page.getByRole("dialog", { name: "Reiniciar o sandbox?" });
  await reset.click();
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancelar" })).toBeFocused();
  await dialog.getByRole("button", { name: "Cancelar" }).click();
  await expect(dialog).toBeHidden();
  expect(await sandboxIdOf(page)).toBe(before);
  await typeCommand(page, 'ls /root/antes-do-reset && echo "ainda-$((3*3))"');
  await expectTerminalToShow(page, /^ainda-9$/m);

  await reset.click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Sim, reiniciar" }).click();
  await expect(dialog).toBeHidden();
  await expect.poll(() => sandboxIdOf(page).catch(() => before), { timeout: 30_000 }).not.toBe(before);
  await expectConnected(page, "pt-BR");
  expect(await terminalText(page)).not.toMatch(/ainda-9/); // a new Terminal, not the old screen
  const after = await commandOutput(
    page,
    'test -e /root/antes-do-reset && echo arquivo=sim || echo arquivo=nao; echo "host=$(hostname)"',
    /^host=(\S+)$/m,
  );
  expect(after).not.toBe(host);
  await expectTerminalToShow(page, /^arquivo=nao$/m);
  expect(await runnerAsApp().getSandbox(before)).toBeNull(); // the old container is really gone

  // Progress recorded before the reset stays, on the page and after a reload.
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed");
  await page.reload();
  await expectConnected(page, "pt-BR");
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed");
  await expect(exerciseItem(page, first.id).getByTestId("passed-at")).toBeVisible();
});

test("font size, light/dark and keyboard copy/paste in the terminal", async ({ page, context }) => {
  const lesson = await firstLesson();
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  const rows = page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-rows");
  const fontPx = async () => parseFloat(await rows.evaluate((el) => getComputedStyle(el).fontSize));
  const start = await fontPx();
  await page.getByRole("button", { name: "Larger font" }).click();
  await page.getByRole("button", { name: "Larger font" }).click();
  await expect.poll(fontPx).toBe(start + 2);

  // Dark theme: the terminal follows the page (and its palette keeps AA contrast, see a11y.spec).
  const panel = page.locator(".course-terminal");
  const before = await panel.getAttribute("data-scheme");
  await page.getByRole("button", { name: before === "dark" ? /light/i : /dark/i }).click();
  await expect(panel).toHaveAttribute("data-scheme", before === "dark" ? "light" : "dark");
  const bg = await page.locator(".course-terminal [role=tabpanel]:not([hidden])").evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(bg).toBe(before === "dark" ? "rgb(255, 255, 255)" : "rgb(13, 17, 23)");

  // Paste with Ctrl+Shift+V, copy a line with Ctrl+Shift+C.
  await page.evaluate(() => navigator.clipboard.writeText('echo "pasted-$((2*3))"'));
  await page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm").click();
  await page.keyboard.press("Control+Shift+V");
  await expectTerminalToShow(page, /# echo "pasted-\$\(\(2\*3\)\)"$/m); // the paste reads the clipboard asynchronously
  await page.keyboard.press("Enter");
  await expectTerminalToShow(page, /^pasted-6$/m);
  await page.evaluate(() => navigator.clipboard.writeText(""));
  await rows
    .locator(":scope > div", { hasText: /^pasted-6\s*$/ })
    .first()
    .click({ clickCount: 3, force: true }); // xterm takes the mouse on its screen layer
  await page.keyboard.press("Control+Shift+C");
  await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toContain("pasted-6");

  // The font size is remembered.
  await page.reload();
  await expectConnected(page, "en");
  await expect.poll(fontPx).toBe(start + 2);
});

test("a paste into a command that is not reading: the terminal stays usable and says what was dropped", async ({ page }) => {
  const lesson = await firstLesson();
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  await typeCommand(page, "sleep 600");
  // 1.5 MB in one paste (the runner keeps 1 MiB for a shell that is not reading; the rest is dropped).
  // As the browser pastes: a paste event on the terminal's textarea (xterm sends it as input).
  await page
    .locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm textarea")
    .first()
    .evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData("text/plain", text);
      el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
    }, "x".repeat(1_500_000));
  await expect(terminalAlert(page)).toContainText("Parte do que você digitou ou colou foi descartada", { timeout: 30_000 });
  // The page and its runner are still alive: a second terminal works while the first one's sleep runs.
  await page.getByRole("button", { name: "Novo terminal" }).click();
  await expectConnected(page, "pt-BR");
  await typeCommand(page, 'echo "ainda-$((40+2))"');
  await expectTerminalToShow(page, /^ainda-42$/m);
});

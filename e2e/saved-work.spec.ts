import { expect, test } from "@playwright/test";
import {
  commandOutput,
  expectConnected,
  expectTerminalToShow,
  firstLesson,
  homeUrl,
  lessonUrl,
  recordAlerts,
  runnerAsApp,
  sandboxIdOf,
  terminalAlert,
  typeCommand,
  type Locale,
} from "./helpers";

/**
 * Work that survives (issue 13): a learner writes a file, their sandbox ends (as an idle timeout ends
 * it: the runner's DELETE ?keep=files), and when they open the lesson again the file is back and the
 * page says from when, in one notice (not "expired" beside it). "Reiniciar sandbox" discards it.
 */
const words = {
  "pt-BR": {
    restored: /Seus arquivos de .+ foram restaurados/,
    reset: "Reiniciar sandbox",
    confirm: "Sim, reiniciar",
    title: "Reiniciar o sandbox?",
  },
  en: { restored: /Your files from .+ were restored/, reset: "Reset sandbox", confirm: "Yes, reset", title: "Reset the sandbox?" },
} as const;

for (const locale of ["pt-BR", "en"] as Locale[]) {
  test(`files come back after the sandbox ended, with a notice; reset empties (${locale})`, async ({ page }) => {
    const lesson = await firstLesson();
    const w = words[locale];
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    await expect(page.getByTestId("saved-work-notice")).toHaveCount(0);
    const first = await sandboxIdOf(page);
    expect(await commandOutput(page, 'echo "kept-$((6*7))" > /root/meu-trabalho.txt && echo "wrote=$((1+1))"', /^wrote=(\d)$/m)).toBe("2");

    // The learner leaves; their sandbox ends while nobody is connected (as an idle timeout ends it).
    await page.goto(homeUrl(locale));
    await runnerAsApp().destroySandbox(first, { keepFiles: true });
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    expect(await sandboxIdOf(page)).not.toBe(first);
    const notice = page.getByTestId("saved-work-notice");
    await expect(notice).toContainText(w.restored);
    await expect(notice).toHaveAttribute("role", "status");
    // One notice for one event: the restored files say the old sandbox ended; no "expired" beside it.
    await expect(terminalAlert(page)).toHaveCount(0);
    await typeCommand(page, "cat /root/meu-trabalho.txt");
    await expectTerminalToShow(page, /^kept-42$/m);

    const second = await sandboxIdOf(page);
    await page.getByRole("button", { name: w.reset }).click();
    await page.getByRole("dialog", { name: w.title }).getByRole("button", { name: w.confirm }).click();
    await expect.poll(() => sandboxIdOf(page).catch(() => second), { timeout: 30_000 }).not.toBe(second);
    await expectConnected(page, locale);
    await expect(notice).toHaveCount(0);
    expect(await commandOutput(page, 'test -e /root/meu-trabalho.txt && echo "file=yes" || echo "file=no"', /^file=(yes|no)$/m)).toBe("no");

    // The reset discarded the saved work too: the next sandbox after an end has nothing to restore.
    const third = await sandboxIdOf(page);
    await runnerAsApp().destroySandbox(third, { keepFiles: false });
    await page.goto(lessonUrl(locale, lesson));
    await expectConnected(page, locale);
    expect(await sandboxIdOf(page)).not.toBe(third);
    expect(await commandOutput(page, 'test -e /root/meu-trabalho.txt && echo "file=yes" || echo "file=no"', /^file=(yes|no)$/m)).toBe("no");
    await expect(notice).toHaveCount(0);
  });
}

test("the sandbox ends under the open page (idle) with saved work, two tabs open: the files are back, in one notice", async ({ page }) => {
  const lesson = await firstLesson();
  const alerts = await recordAlerts(page);
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  const first = await sandboxIdOf(page);
  // Two tabs: each connection sees the sandbox go and asks for it again; only the first answer
  // carries the restored files, and the second must not turn the notice into "expired".
  await page.getByRole("button", { name: "New terminal" }).click();
  await expect(page.getByRole("tablist", { name: "Terminals" }).getByRole("tab")).toHaveCount(2);
  await expectConnected(page, "en");
  expect(await commandOutput(page, 'echo "live-$((6*7))" > /root/ao-vivo.txt && echo "wrote=$((1+2))"', /^wrote=(\d)$/m)).toBe("3");

  // The learner stays on the page; their sandbox ends as an idle timeout ends it.
  await runnerAsApp().destroySandbox(first, { keepFiles: true });
  await expect.poll(() => sandboxIdOf(page).catch(() => first), { timeout: 60_000 }).not.toBe(first);
  await expectConnected(page, "en");
  await expect(page.getByTestId("saved-work-notice")).toContainText(words.en.restored);
  await expect(terminalAlert(page)).toHaveCount(0);
  expect((await alerts()).filter((a) => /expired/.test(a))).toEqual([]);
  await typeCommand(page, "cat /root/ao-vivo.txt");
  await expectTerminalToShow(page, /^live-42$/m);
});

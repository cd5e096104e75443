import os from "node:os";
import { expect, test } from "@playwright/test";
import {
  clickAndWaitForAction,
  expectConnected,
  expectTerminalToShow,
  exerciseItem,
  firstLesson,
  homeUrl,
  routeRunnerSockets,
  statusBadge,
  terminalText,
  typeCommand,
  ui,
  type Locale,
} from "./helpers";

/**
 * A new learner's first lesson, end to end against the real app, runner and containers:
 * course map → lesson 1 → code block → typed command → exercise checked by itself → a failed
 * check's message → a hint → reload (progress and screen intact) → the server drops the WebSocket
 * (screen comes back). Once in Portuguese, once in English.
 */
for (const locale of ["pt-BR", "en"] as const satisfies readonly Locale[]) {
  test(`learner journey through lesson 1 (${locale})`, async ({ page }) => {
    const lesson = await firstLesson();
    const t = ui[locale];
    const sockets = await routeRunnerSockets(page);

    // A new learner opens the course and then lesson 1.
    await page.goto(homeUrl(locale));
    const lessonHref = locale === "pt-BR" ? `/licoes/${lesson.slugs["pt-BR"]}` : `/en/lessons/${lesson.slugs.en}`;
    await page.locator(`a[href$="${lessonHref}"]`).first().click();
    await expect(page).toHaveURL(new RegExp(`${lessonHref}$`));
    await expect(page.getByRole("heading", { level: 1 })).toContainText(lesson.content[locale].title);
    await expectConnected(page, locale);
    // The sandbox's shell greets the learner in the page's language, with the site's name in it.
    await expectTerminalToShow(page, locale === "en" ? /Welcome to Learning Docker!/ : /Bem-vindo ao Aprendendo Docker!/);

    // Clicking a runnable code block types the command into the terminal and runs it.
    const source = lesson.content[locale].source;
    const commands = [...source.matchAll(/<Run\s+command=(?:"([^"]+)"|\{`([^`]+)`\})/g)].map((m) => m[1] ?? m[2]!);
    const command = commands.find((c) => c.trim() === "uname -r") ?? commands[0];
    expect(command, "lesson 1 has a <Run> code block").toBeTruthy();
    await page
      .getByRole("button", { name: `${t.run}: ${command}`, exact: true })
      .first()
      .click();
    if (command!.trim() === "uname -r") {
      // The container runs on the host's kernel: the output is this machine's release, on its own line.
      await expectTerminalToShow(page, new RegExp(`^${escapeRe(os.release())}$`, "m"));
    } else {
      await expectTerminalToShow(page, new RegExp(escapeRe(command!)));
    }

    // The learner types a command and sees its output.
    await typeCommand(page, 'echo "e2e-$((6*7))-ok"');
    await expectTerminalToShow(page, /^e2e-42-ok$/m);

    // Completing an exercise: the check runs by itself after the command finishes.
    const [first, second] = lesson.exercises;
    expect(first?.id).toBe("kernel-do-host");
    await expect(exerciseItem(page, first!.id)).not.toHaveAttribute("data-state", "passed");
    await typeCommand(
      page,
      "mkdir -p /root/respostas && uname -r > /root/respostas/kernel.txt && cat /proc/sys/kernel/random/boot_id > /root/respostas/boot-id.txt",
    );
    await expect(exerciseItem(page, first!.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });

    // A failed check shows its message (in the page's language).
    await page.getByRole("button", { name: t.check, exact: true }).click();
    const secondItem = exerciseItem(page, second!.id);
    await expect(secondItem).toHaveAttribute("data-state", "failed", { timeout: 30_000 });
    await expect(secondItem.getByTestId("check-message")).toContainText(
      locale === "en" ? "pid1.txt is missing" : "Falta /root/respostas/pid1.txt",
    );

    // Hints open one at a time.
    await clickAndWaitForAction(page, secondItem.getByRole("button", { name: t.showHint }), `"${second!.id}"`);
    await expect(secondItem.getByTestId("hint")).toHaveCount(1);
    await expect(secondItem.getByTestId("hint").first()).toContainText(second!.hints[0]![locale].replace(/`|\*\*/g, "").slice(0, 20));

    // Reload: progress and the terminal's screen are intact.
    await page.reload();
    await expectConnected(page, locale);
    await expect(exerciseItem(page, first!.id)).toHaveAttribute("data-state", "passed");
    await expect(exerciseItem(page, second!.id).getByTestId("hint")).toHaveCount(1);
    await expectTerminalToShow(page, /^e2e-42-ok$/m);

    // The server closes the WebSocket: the page says so, reconnects by itself, the screen comes back.
    const before = sockets.count();
    expect(before).toBeGreaterThan(0);
    await sockets.hangUp();
    await expect
      .poll(() => sockets.count(), { timeout: 30_000, message: "the page opens a new WebSocket by itself" })
      .toBeGreaterThan(before);
    await expectConnected(page, locale);
    await expectTerminalToShow(page, /^e2e-42-ok$/m);
    await typeCommand(page, 'echo "after-$((40+2))-reconnect"');
    await expectTerminalToShow(page, /^after-42-reconnect$/m);
    expect(await terminalText(page)).toMatch(/^e2e-42-ok$/m);
    await expect(statusBadge(page)).toHaveText(t.connected);
  });
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

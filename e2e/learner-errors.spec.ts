import { expect, test } from "@playwright/test";
import {
  exerciseItem,
  expectConnected,
  expectTerminalToShow,
  firstLesson,
  lessonUrl,
  runnerAsApp,
  sandboxIdOf,
  solutionLine,
  statusBadge,
  terminalAlert,
  typeCommand,
} from "./helpers";

/**
 * Errors a learner can meet, each with a clear message and a way forward, nothing recorded lost:
 * the terminal cannot reach the runner (its WebSocket is sent to a closed port: the shared runner
 * keeps serving the other tests), and the learner's sandbox expires under an open page (destroyed
 * through the runner's API, as its idle timeout would). Capacity full and runner down on the HTTP
 * side are covered by app/_lib/runner.int.test.ts against a real runner process and a closed port.
 */
test.describe.configure({ timeout: 60_000 });

test("runner unreachable from the browser: 'disconnected', a message, Try again works once it is back", async ({ page }) => {
  const lesson = await firstLesson();
  // Every runner WebSocket of this page fails its handshake until the flag is lifted: it goes to a
  // path of the runner that is no WebSocket endpoint, so the browser sees what a runner that is
  // down behind a proxy looks like (connection closed, 1006). A closed port would be refused by the
  // page's Content-Security-Policy before any connection, a different failure (also handled).
  await page.addInitScript(() => {
    const w = window as unknown as { __e2eRunnerDown: boolean; WebSocket: typeof WebSocket };
    w.__e2eRunnerDown = true;
    const Real = w.WebSocket;
    w.WebSocket = class extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        const u = String(url);
        super(
          w.__e2eRunnerDown && u.includes("/v1/terminals") ? u.replace("/v1/terminals", "/v1/terminals-e2e-unreachable") : u,
          protocols,
        );
      }
    };
  });
  await page.goto(lessonUrl("pt-BR", lesson));
  await expect(terminalAlert(page)).toHaveAttribute("data-error-code", "runner-down", { timeout: 30_000 });
  await expect(terminalAlert(page)).toContainText("não consegue se conectar ao serviço de sandboxes");
  await expect(terminalAlert(page)).toContainText("seu progresso está salvo");
  await expect(statusBadge(page)).toHaveText("desconectado");

  await page.evaluate(() => ((window as unknown as { __e2eRunnerDown: boolean }).__e2eRunnerDown = false));
  await terminalAlert(page).getByRole("button", { name: "Tentar de novo" }).click();
  await expectConnected(page, "pt-BR", 30_000);
  await expect(terminalAlert(page)).toHaveCount(0);
  await typeCommand(page, 'echo "de-volta-$((6*7))"');
  await expectTerminalToShow(page, /^de-volta-42$/m);
});

test("sandbox expired under an open page: a notice, a fresh sandbox that works, progress intact", async ({ page }) => {
  const lesson = await firstLesson();
  const first = lesson.exercises[0]!;
  await page.goto(lessonUrl("en", lesson));
  await expectConnected(page, "en");
  await typeCommand(page, solutionLine(lesson, first.id));
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
  const old = await sandboxIdOf(page);

  await runnerAsApp().destroySandbox(old);
  await expect(terminalAlert(page)).toContainText("Your previous sandbox expired; a fresh one was created.", { timeout: 30_000 });
  await expect.poll(() => sandboxIdOf(page).catch(() => old), { timeout: 30_000 }).not.toBe(old);
  await expectConnected(page, "en");
  await typeCommand(page, 'echo "fresh-$((7*6))"');
  await expectTerminalToShow(page, /^fresh-42$/m);
  await terminalAlert(page).getByRole("button", { name: "OK" }).click();
  await expect(terminalAlert(page)).toHaveCount(0);

  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed");
  await page.reload();
  await expectConnected(page, "en");
  await expect(exerciseItem(page, first.id)).toHaveAttribute("data-state", "passed");
});

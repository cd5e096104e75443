import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectConnected, expectTerminalToShow, firstLesson, freePort, lessonUrl, statusBadge, typeCommand } from "./helpers";

/**
 * The web app restarts while a learner has a terminal open. The test starts its own `next start`
 * (the build `npm test` made; APP_DIR to use another) on a free port, beside the runner under test,
 * so the shared app is not disturbed. The terminal talks to the runner directly: it must stay
 * connected through the app's absence, and Checks (server actions) must work once the app is back.
 */
const REPO = path.resolve(__dirname, "..");

async function startApp(port: number): Promise<ChildProcess> {
  const dir = process.env.APP_DIR ?? REPO;
  const child = spawn(path.join(REPO, "node_modules/.bin/next"), ["start", "-p", String(port)], {
    cwd: dir,
    env: process.env,
    stdio: "ignore",
    detached: true,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    const up = await fetch(`http://127.0.0.1:${port}/en`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return child;
    if (Date.now() > deadline) throw new Error("next start did not answer within 60 s");
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function stopApp(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid!, "SIGTERM"); // its own process group: next start and its workers
  await exited;
}

test("the app restarts while a terminal is open: the terminal stays up, Checks work again after", async ({ page }) => {
  const port = await freePort();
  let app = await startApp(port);
  try {
    const lesson = await firstLesson();
    await page.goto(`http://localhost:${port}${lessonUrl("en", lesson)}`);
    await expectConnected(page, "en");
    await typeCommand(page, "echo before-$((1+1))");
    await expectTerminalToShow(page, /before-2/);

    await stopApp(app);
    expect(
      await fetch(`http://127.0.0.1:${port}/en`).then(
        () => "up",
        () => "down",
      ),
    ).toBe("down");
    await typeCommand(page, "echo during-$((2+2))");
    await expectTerminalToShow(page, /during-4/);
    await expect(statusBadge(page)).toHaveAttribute("data-status", "connected");

    app = await startApp(port);
    const action = page.waitForResponse((r) => r.request().method() === "POST" && !!r.request().headers()["next-action"], {
      timeout: 60_000,
    });
    await page.getByRole("button", { name: /^Check(ing…)?$/ }).click();
    expect((await action).status()).toBe(200);
    await expect(page.locator(".course-exercises")).toHaveAttribute("data-checking", "0", { timeout: 60_000 });
    await typeCommand(page, "echo after-$((3+3))");
    await expectTerminalToShow(page, /after-6/);
    await expect(statusBadge(page)).toHaveAttribute("data-status", "connected");
  } finally {
    await stopApp(app);
  }
});

import { expect, test } from "@playwright/test";
import {
  createUser,
  expectConnected,
  expectTerminalToShow,
  firstLesson,
  lessonUrl,
  runnerAsApp,
  signIn,
  terminalAlert,
  typeCommand,
} from "./helpers";

/**
 * An admin drains the runner from the admin page before taking its machine away: a learner already
 * there keeps typing, a new learner is told the sandboxes are busy (not that the service is down),
 * and after "Resume" the new learner gets a terminal. The drain is the runner's own state, so the
 * test always resumes it (a drained runner would starve the specs after this one).
 */
test.afterAll(async () => {
  await runnerAsApp().setDraining(false);
});

test("admin drains and resumes the runner: learners there keep theirs, a new learner waits, then gets a terminal", async ({ browser }) => {
  const lesson = await firstLesson();
  const stayer = await (await browser.newContext()).newPage();
  await stayer.goto(lessonUrl("en", lesson));
  await expectConnected(stayer, "en");

  const email = `admin-drain-${Date.now()}@example.com`;
  createUser(email, "admin", "Admin Drain");
  const admin = await (await browser.newContext()).newPage();
  await signIn(admin, email, "/admin");
  const section = admin.getByRole("region", { name: "Runners" });
  const row = section.locator("tr[data-runner]").first();
  await expect(row).toHaveAttribute("data-draining", "0");
  await expect(row).toContainText("no ar");
  await row.getByRole("button", { name: /^Drenar o runner / }).click();
  await expect(section.getByRole("status")).toContainText("está drenando");
  await expect(row).toHaveAttribute("data-draining", "1");
  expect(await runnerAsApp().health()).toMatchObject({ draining: true });

  // Already there: the terminal keeps working.
  await typeCommand(stayer, "echo still-$((20+1))");
  await expectTerminalToShow(stayer, /still-21/);

  // New: told to wait, in plain words, with nothing about a broken service.
  const newcomer = await (await browser.newContext()).newPage();
  await newcomer.goto(lessonUrl("en", lesson));
  await expect(terminalAlert(newcomer)).toContainText("All sandboxes are busy right now", { timeout: 60_000 });

  // A reload of the admin page shows the runner's own state (kept by the runner, not by the page).
  await admin.reload();
  const again = admin.getByRole("region", { name: "Runners" }).locator("tr[data-runner]").first();
  await expect(again).toHaveAttribute("data-draining", "1");
  await expect(again).toContainText("drenando");
  await again.getByRole("button", { name: /^Retomar o runner / }).click();
  await expect(again).toHaveAttribute("data-draining", "0");
  expect(await runnerAsApp().health()).toMatchObject({ draining: false });

  await newcomer.reload();
  await expectConnected(newcomer, "en");
});

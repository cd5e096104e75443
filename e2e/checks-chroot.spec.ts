import path from "node:path";
import { expect, test } from "@playwright/test";
import { loadCourse } from "../content/lib/load";
import { expectConnected, expectTerminalToShow, exerciseItem, lessonUrl, typeCommand } from "./helpers";

/**
 * Issue 13: automatic Checks never ran while the learner was in another shell (busybox `sh` in
 * lesson 4's chroot prints no prompt mark). The runner now reports a finished command there too
 * (Enter, then quiet output ending on a prompt), so the checklist follows the learner into the jail.
 */
test("lesson 4: inside the chroot's busybox sh, a command still passes the exercise on its own", async ({ page }) => {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  const lesson = course.lessons.find((l) => l.id === "04-chroot-container-vm");
  if (!lesson) throw new Error("lesson 04-chroot-container-vm is missing from content/lessons");
  await page.goto(lessonUrl("pt-BR", lesson));
  await expectConnected(page, "pt-BR");
  const item = exerciseItem(page, "prisao-chroot");
  await typeCommand(
    page,
    "mkdir -p /root/prisao/bin && cp /bin/busybox /root/prisao/bin/ && chroot /root/prisao /bin/busybox --install -s /bin && echo jail-built",
  );
  await expectTerminalToShow(page, /^jail-built$/m);
  await typeCommand(page, "chroot /root/prisao /bin/sh");
  await expectTerminalToShow(page, /^\/ #/m);
  // The check needs this file, made from inside: nothing has passed yet.
  await expect(item).not.toHaveAttribute("data-state", "passed");
  await typeCommand(page, "ls / > /dentro.txt");
  // No click on "Verificar": the automatic Check after the command inside the jail passes it.
  await expect(item).toHaveAttribute("data-state", "passed", { timeout: 30_000 });
});

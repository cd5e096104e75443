import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createUser, signIn } from "./helpers";

/**
 * The instructor's new tools in English, by keyboard only: the class page's tools (projector,
 * live terminals, invitations, rotate code), the projector and the terminal grid speak English and
 * pass axe. Every step is reached with Tab and Enter from the control before it.
 */
const run = Date.now().toString(36);

async function tabTo(page: Page, name: RegExp, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const label = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute("aria-label") ?? el.innerText ?? (el as HTMLInputElement).value ?? "").trim() : "";
    });
    if (name.test(label)) return;
  }
  throw new Error(`no focusable control named ${name} within ${max} tabs`);
}

async function noAxeViolations(page: Page): Promise<void> {
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
}

test("an English-speaking instructor uses the class tools by keyboard; every page is in English and passes axe", async ({ page }) => {
  const email = `prof-en-${run}@example.org`;
  createUser(email, "instructor", "Prof English");
  await signIn(page, email, "/en/instructor");
  await page.goto("/en/instructor");
  await page.locator("main").getByLabel("Class name").fill(`Morning class ${run}`);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/en\/instructor\/classes\/[^/]+$/);
  const classUrl = page.url();
  const oldCode = await page.getByTestId("class-code").inputValue();
  await expect(page.getByRole("link", { name: "Projector view" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Live terminals" })).toBeVisible();
  await noAxeViolations(page);

  // Rotate the code by keyboard: the old one stops working.
  await tabTo(page, /^Class settings$/);
  await page.keyboard.press("Enter");
  await tabTo(page, /^New join code/);
  await page.keyboard.press("Enter");
  // The confirmation takes the focus: Enter again answers it.
  await expect(page.getByRole("button", { name: "Yes, new code" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("class-code")).not.toHaveValue(oldCode);

  // Projector by keyboard, in English, with the code large and a QR code.
  await page.goto(classUrl);
  await tabTo(page, /^Projector view$/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/projector$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByTestId("projector-code")).not.toHaveText(oldCode);
  await expect(page.getByTestId("projector-qr")).toBeVisible();
  await noAxeViolations(page);

  // The live terminal grid, by keyboard, in English (nobody is typing yet: it says so).
  await page.goto(classUrl);
  await tabTo(page, /^Live terminals$/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/terminals$/);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByText("No learner of this class has a running terminal right now.")).toBeVisible();
  await noAxeViolations(page);
});

import path from "node:path";
import { expect, type Page, type WebSocketRoute } from "@playwright/test";
import { loadCourse, type Lesson } from "../content/lib/load";

export type Locale = "pt-BR" | "en";

/** Words the page shows, per locale (the UI's own strings; a change there should fail here). */
export const ui = {
  "pt-BR": { connected: "conectado", reconnecting: "reconectando", check: "Verificar", showHint: "Mostrar uma dica", run: "Executar no terminal" },
  en: { connected: "connected", reconnecting: "reconnecting", check: "Check", showHint: "Show a hint", run: "Run in the terminal" },
} as const;

export async function firstLesson(): Promise<Lesson> {
  const course = await loadCourse({ contentDir: path.join(__dirname, "..", "content") });
  const lesson = course.lessons[0];
  if (!lesson) throw new Error("the course has no lessons (content/lessons is empty)");
  return lesson;
}

/** The home page (course map) of a locale. */
export function homeUrl(locale: Locale): string {
  return locale === "pt-BR" ? "/" : "/en";
}

/** The visible rows of the active terminal tab, as text (xterm's DOM renderer: one div per row). */
export async function terminalText(page: Page): Promise<string> {
  return page
    .locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm-rows")
    .first()
    .evaluate((el) => Array.from(el.children, (row) => (row.textContent ?? "").replace(/\u00a0/g, " ").trimEnd()).join("\n"))
    .catch(() => "");
}

export async function expectTerminalToShow(page: Page, pattern: RegExp, timeout = 30_000): Promise<void> {
  await expect.poll(() => terminalText(page), { timeout, message: `terminal should show ${pattern}` }).toMatch(pattern);
}

export function statusBadge(page: Page) {
  return page.locator(".course-terminal [role=status][data-status]");
}

export async function expectConnected(page: Page, locale: Locale, timeout = 90_000): Promise<void> {
  await expect(statusBadge(page)).toHaveAttribute("data-status", "connected", { timeout });
  await expect(statusBadge(page)).toHaveText(ui[locale].connected);
}

/** Types into the active terminal like a person (focus it first) and presses Enter. */
export async function typeCommand(page: Page, command: string): Promise<void> {
  await page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm").first().click();
  await page.keyboard.type(command, { delay: 5 });
  await page.keyboard.press("Enter");
}

export function exerciseItem(page: Page, exerciseId: string) {
  return page.locator(`li[data-exercise-id="${exerciseId}"]`);
}

/**
 * Routes the page's runner WebSockets through Playwright so a test can hang up from the server's
 * side: `hangUp()` closes each connection towards the page (which sees the server close it) and
 * towards the runner (which sees the client go away).
 */
export async function routeRunnerSockets(page: Page): Promise<{ count(): number; hangUp(code?: number): Promise<void> }> {
  const pairs: { pageSide: WebSocketRoute; serverSide: WebSocketRoute }[] = [];
  await page.routeWebSocket(/\/v1\/terminals/, (ws) => {
    pairs.push({ pageSide: ws, serverSide: ws.connectToServer() });
  });
  return {
    count: () => pairs.length,
    async hangUp(code = 1001) {
      for (const p of pairs) {
        await p.pageSide.close({ code, reason: "e2e: the server went away" }).catch(() => undefined);
        await p.serverSide.close().catch(() => undefined);
      }
    },
  };
}

import { spawnSync } from "node:child_process";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, type Locator, type Page, type WebSocketRoute } from "@playwright/test";
import { loadCourse, type Lesson } from "../content/lib/load";
import { RunnerClient } from "../contract/runner-client";
import { loadRunnerConfig } from "../sandbox-runner/src/config/config";
import { loadOrCreateSigningKeys } from "../app/_lib/signing-keys";

export type Locale = "pt-BR" | "en";

/** Words the page shows, per locale (the UI's own strings; a change there should fail here). */
export const ui = {
  "pt-BR": {
    connected: "conectado",
    reconnecting: "reconectando",
    check: "Verificar",
    showHint: "Mostrar uma dica",
    run: "Executar no terminal",
  },
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

/** The lesson page of a lesson in a locale. */
export function lessonUrl(locale: Locale, lesson: Lesson): string {
  return locale === "pt-BR" ? `/licoes/${lesson.slugs["pt-BR"]}` : `/en/lessons/${lesson.slugs.en}`;
}

/** The learner's sandbox id, as the terminal panel shows it (data attribute). */
export async function sandboxIdOf(page: Page): Promise<string> {
  const id = await page.locator(".course-terminal").getAttribute("data-sandbox-id");
  if (!id) throw new Error("the terminal panel has no sandbox yet");
  return id;
}

/**
 * The runner's HTTP API as the app uses it (app token signed with the app's private key): lets a test
 * do what the runner itself does to a learner's sandbox (expire it). Same DATA_DIR/RUNNER_PORT as
 * the app under test (`npm test` exports them; set them when running by hand).
 */
export function runnerAsApp(): RunnerClient {
  const cfg = loadRunnerConfig(process.env);
  return new RunnerClient({ baseUrl: cfg.runnerUrl, privateKey: loadOrCreateSigningKeys(cfg.dataDir).privateKey, runner: cfg.RUNNER_NAME });
}

/** Runs a command and returns the first capture of `pattern` from the terminal's screen. */
export async function commandOutput(page: Page, command: string, pattern: RegExp): Promise<string> {
  await typeCommand(page, command);
  let found = "";
  await expect
    .poll(async () => ((found = (await terminalText(page)).match(pattern)?.[1] ?? ""), found), {
      timeout: 30_000,
      message: `terminal should show ${pattern}`,
    })
    .not.toBe("");
  return found;
}

export function terminalAlert(page: Page) {
  return page.getByTestId("terminal-alert");
}

/** The commands of an exercise's solution.sh, as one line a learner could type (comments dropped). */
export function solutionLine(lesson: Lesson, exerciseId: string): string {
  const ex = lesson.exercises.find((e) => e.id === exerciseId);
  if (!ex) throw new Error(`lesson ${lesson.id} has no exercise ${exerciseId}`);
  return ex.scripts.solution
    .split("\n")
    .map((l) => l.replace(/\s+#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#"))
    .join(" && ");
}

export interface PostAnswer {
  status: number;
  retryAfter: string | undefined;
  body: Record<string, unknown>;
}

/**
 * One JSON POST to the app from a loopback address of the test's choosing (127.0.0.x): the app's
 * server counts its per-address limits by the socket's address, so each test that exhausts a limit
 * takes an address no other test uses.
 */
export function postFrom(localAddress: string, urlPath: string, body: unknown, headers: Record<string, string> = {}): Promise<PostAnswer> {
  const base = new URL(process.env.BASE_URL ?? "http://localhost:3000");
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: base.port,
        path: urlPath,
        method: "POST",
        localAddress,
        headers: { "content-type": "application/json", host: base.host, origin: base.origin, connection: "close", ...headers },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, retryAfter: res.headers["retry-after"] as string | undefined, body: parsed });
        });
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

/** The password of every account the e2e tests create. */
export const PASSWORD = "senha-e2e-segura";

/** An instructor or admin account, made with the CLI an operator uses (`npm run user:create`). */
export function createUser(email: string, role: "instructor" | "admin", name: string): void {
  const root = path.resolve(__dirname, "..");
  const r = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    ["scripts/create-user.ts", "--email", email, "--password", PASSWORD, "--role", role, "--name", name],
    { cwd: root, encoding: "utf8", env: process.env },
  );
  if (r.status !== 0) throw new Error(`create-user failed: ${r.stdout}\n${r.stderr}`);
}

/** Signs in through the Portuguese form and waits to land on `next`. */
export async function signIn(page: Page, email: string, next = "/"): Promise<void> {
  await page.goto(`/signin?next=${encodeURIComponent(next)}`);
  const main = page.locator("main");
  await main.getByLabel("E-mail").fill(email);
  await main.getByLabel("Senha").fill(PASSWORD);
  await main.getByRole("button", { name: "Entrar", exact: true }).click();
  await page.waitForURL((u) => u.pathname === next);
}

/**
 * Every text the terminal's alert showed since the page loaded, even for a moment (a notice that
 * flashed and was replaced counts): install before `page.goto`, read with the returned function.
 */
export async function recordAlerts(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __e2eAlerts: string[] }).__e2eAlerts = seen;
    const look = () => {
      for (const el of document.querySelectorAll('[data-testid="terminal-alert"]')) {
        const text = (el.textContent ?? "").trim();
        if (text && seen.at(-1) !== text) seen.push(text);
      }
    };
    new MutationObserver(look).observe(document, { subtree: true, childList: true, characterData: true });
  });
  return () => page.evaluate(() => (window as unknown as { __e2eAlerts?: string[] }).__e2eAlerts ?? []);
}

/** A port nothing listens on now, on loopback: for a spec's own runner or app. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

/**
 * Click, then wait until the server action the click started has answered (a Next.js server action
 * is a POST with a `Next-Action` header; `bodyHas` picks it out by an argument it carries). The page
 * shows a hint or the solution at once and records it in the background: a reload right after the
 * click would race that record, which is not what these tests are about.
 */
export async function clickAndWaitForAction(page: Page, target: Locator, bodyHas: string): Promise<void> {
  const answered = page.waitForResponse(
    async (r) =>
      r.request().method() === "POST" &&
      (await r.request().headerValue("next-action")) !== null &&
      (r.request().postData() ?? "").includes(bodyHas),
  );
  await target.click();
  expect((await answered).ok(), "the server action answered 200").toBe(true);
}

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, openSync, readFileSync, symlinkSync, existsSync, rmSync } from "node:fs";
import path from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { expectConnected, firstLesson, freePort, lessonUrl, terminalAlert, type Locale } from "./helpers";

/**
 * A full machine: learners wait in line, are told their place in their language, and get their
 * terminal by themselves when a sandbox frees. The test starts its own runner with room for one
 * sandbox (SANDBOX_CAPACITY=1, its own data folder, the shared Image linked in) and its own
 * `next start` using it, on free ports, so the suite's runner (room for 150) is not disturbed.
 */
const REPO = path.resolve(__dirname, "..");
const DATA_DIR = path.resolve(process.env.DATA_DIR ?? path.join(REPO, ".data/test"));

/** Starts a program in its own process group (its output in `log`) and waits until `url` answers. */
async function startService(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
  what: string,
  log: string,
): Promise<ChildProcess> {
  const out = openSync(log, "w");
  const child = spawn(file, args, { cwd: REPO, env, stdio: ["ignore", out, out], detached: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return child;
    if (Date.now() > deadline) throw new Error(`${what} did not answer at ${url} within 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * SIGTERM to its whole process group (tsx and node, next and its workers). Once (1 run in about 10)
 * the runner or the app did not exit within the hook's 3 minutes after the test had passed; the cause
 * is not found yet: after 60 s the group is killed and the log named, so the queue's own test stands.
 */
async function stopService(child: ChildProcess | undefined, log: string): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  process.kill(-child.pid!, "SIGTERM");
  const late = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 60_000))]);
  if (late) {
    console.warn(`[queue.spec] ${log}: no exit 60 s after SIGTERM; killing its process group (see that log)`);
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  }
}

let runner: ChildProcess | undefined;
let app: ChildProcess | undefined;
let base = "";
let runnerLog = "";
let appLog = "";

test.beforeAll(async () => {
  test.setTimeout(240_000);
  const runnerPort = await freePort();
  const appPort = await freePort();
  // Own data folder (a runner cleans up every sandbox of its folder at start), the Image shared.
  const dir = path.join(DATA_DIR, "queue-e2e");
  rmSync(path.join(dir, "runner", "sandboxes"), { recursive: true, force: true });
  mkdirSync(path.join(dir, "runner"), { recursive: true });
  const image = path.join(dir, "runner", "image");
  if (!existsSync(image)) symlinkSync(path.join(DATA_DIR, "runner", "image"), image);
  runnerLog = path.join(dir, "runner.log");
  appLog = path.join(dir, "app.log");
  runner = await startService(
    path.join(REPO, "node_modules/.bin/tsx"),
    ["sandbox-runner/src/main.ts"],
    {
      ...process.env,
      DATA_DIR: dir,
      RUNNER_PORT: String(runnerPort),
      SANDBOX_CAPACITY: "1",
      APP_PUBLIC_KEY: readFileSync(path.join(DATA_DIR, "keys", "app-signing.pub"), "utf8"),
      LOG_LEVEL: "info", // in runner.log: what its shutdown was doing if it hangs
    },
    `http://127.0.0.1:${runnerPort}/healthz`,
    "the test's runner",
    runnerLog,
  );
  app = await startService(
    path.join(REPO, "node_modules/.bin/next"),
    ["start", "-p", String(appPort)],
    { ...process.env, DATA_DIR, RUNNER_PORT: String(runnerPort), RUNNER_URL: `http://127.0.0.1:${runnerPort}`, RUNNERS: "" },
    `http://127.0.0.1:${appPort}/en`,
    "the test's app",
    appLog,
  );
  base = `http://localhost:${appPort}`;
});

test.afterAll(async () => {
  await stopService(app, appLog);
  await stopService(runner, runnerLog);
});

async function learner(browser: Browser, locale: Locale): Promise<Page> {
  const context = await browser.newContext({ locale });
  return context.newPage();
}

/** The terminal's status line while waiting (role=status: read out as the place changes). */
const queueStatus = (page: Page) => terminalAlert(page).and(page.getByRole("status"));

test("a full runner: learners see their place in line in pt-BR and en, and get their terminal when a sandbox frees", async ({
  browser,
}) => {
  const lesson = await firstLesson();
  const ana = await learner(browser, "pt-BR");
  await ana.goto(base + lessonUrl("pt-BR", lesson));
  await expectConnected(ana, "pt-BR");

  const bia = await learner(browser, "pt-BR");
  await bia.goto(base + lessonUrl("pt-BR", lesson));
  await expect(queueStatus(bia)).toHaveText(/^Você é o 1º na fila — .*O seu abre sozinho quando chegar a sua vez/);
  await expect(queueStatus(bia)).toHaveAttribute("data-error-code", "queued");

  const carl = await learner(browser, "en");
  await carl.goto(base + lessonUrl("en", lesson));
  await expect(queueStatus(carl)).toHaveText(/^You are number 2 in the queue — .*Yours opens by itself when your turn comes/);
  // Still waiting a few asks later: asking again keeps the place.
  await bia.waitForTimeout(5000);
  await expect(queueStatus(bia)).toHaveText(/Você é o 1º na fila/);
  await expect(queueStatus(carl)).toHaveText(/You are number 2 in the queue/);

  /** Where the status line sits in the terminal panel, and how tall it is (the rest of the page may still be settling). */
  const placeOfStatus = async (page: Page) => {
    const [line, panel] = await Promise.all([queueStatus(page).boundingBox(), page.locator(".course-terminal").boundingBox()]);
    return { top: Math.round(line!.y - panel!.y), height: Math.round(line!.height) };
  };
  const carlBox = await placeOfStatus(carl);

  // Ana resets her sandbox: it frees the one slot, the first in line gets it, Carl moves up, and Ana
  // (a new sandbox now, with two asking before her) waits behind Carl.
  await ana.getByRole("button", { name: "Reiniciar sandbox" }).click();
  await ana.getByRole("dialog", { name: "Reiniciar o sandbox?" }).getByRole("button", { name: "Sim, reiniciar" }).click();
  await expectConnected(bia, "pt-BR");
  await expect(queueStatus(bia)).toHaveCount(0);
  await expect(queueStatus(carl)).toHaveText(/^You are number 1 in the queue/);
  // The place changed in the same line of text: nothing on Carl's page moved.
  expect(await placeOfStatus(carl)).toEqual(carlBox);
  await expect(queueStatus(ana)).toHaveText(/^Você é o 2º na fila/);

  // Bia's sandbox really is hers: a command runs in it.
  await bia.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm").first().click();
  await bia.keyboard.type("echo fila-$((40+2))\r");
  await expect.poll(() => bia.locator(".course-terminal .xterm-rows").first().textContent(), { timeout: 30_000 }).toMatch(/fila-42/);
});

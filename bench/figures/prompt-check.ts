/**
 * Prompt mark → checklist (issue 13's "checks in a blink"), in a real browser (Debian's Chromium via
 * Playwright) on the real app, runner and database: lesson 1, exercise "processos-isolados" tried
 * once (a manual Check, so automatic ones show their message), then commands that each change what
 * its Check says (`echo wrong<i> > pid1.txt`). Measured in the page: from the terminal's
 * command-finished event (the shell's prompt mark arriving) to the checklist's message showing
 * `wrong<i>`. Beside it, the floor: a bare `runc exec` of the same Check in the same sandbox.
 *
 * Uses the app at BENCH_APP_URL with the runner state under BENCH_APP_DATA_DIR (both as `npm start`
 * sets them); without BENCH_APP_URL it starts `scripts/start.mjs` itself on BENCH_APP_PORT (3470) and
 * the next port, DATA_DIR .data/bench-app (a `next build` first when the sources changed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";
import { measured, side, type Figure } from "../lib/results";
import { REPO } from "../lib/runner-process";

const EXERCISE = "processos-isolados";
const LESSON_PATH = "/licoes/o-que-e-docker";

function bareExec(runcRoot: string, id: string, script: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const c = spawn("runc", ["--root", runcRoot, "exec", "--cwd", "/root", id, "/bin/bash", "-c", script], { stdio: "ignore" });
    c.on("error", reject);
    c.on("close", () => resolve(performance.now() - t0));
  });
}

async function startApp(log: (s: string) => void): Promise<{ url: string; dataDir: string; stop(): Promise<void> }> {
  const port = Number(process.env.BENCH_APP_PORT ?? 3470);
  const dataDir = path.join(REPO, ".data/bench-app");
  mkdirSync(path.join(dataDir, "runner"), { recursive: true });
  const child: ChildProcess = spawn(process.execPath, [path.join(REPO, "scripts/start.mjs")], {
    cwd: REPO,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), RUNNER_PORT: String(port + 1), DATABASE_URL: `file:${dataDir}/bench.db` },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  child.stdout!.on("data", (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
  child.stderr!.on("data", (b: Buffer) => (out = (out + b.toString()).slice(-4000)));
  const url = `http://localhost:${port}`;
  const until = Date.now() + 15 * 60_000;
  log(`prompt-check: starting the app on ${url} (a build first if the sources changed)`);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}): ${out}`);
    const ok = await fetch(url + LESSON_PATH).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error(`the app did not serve ${LESSON_PATH} within 15 minutes: ${out}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
  return {
    url,
    dataDir,
    async stop() {
      child.kill("SIGINT"); // start.mjs stops the runner and the app it started
      await new Promise((r) => child.once("exit", r));
    },
  };
}

export async function measurePromptCheck(o: { rounds: number; log: (s: string) => void }): Promise<Record<string, Figure>> {
  const external = process.env.BENCH_APP_URL;
  const app = external
    ? { url: external, dataDir: process.env.BENCH_APP_DATA_DIR ?? path.join(REPO, ".data/dev"), stop: async () => undefined }
    : await startApp(o.log);
  const check = await readFile(path.join(REPO, "content/lessons/01-o-que-e-docker/exercises", EXERCISE, "check.sh"), "utf8");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await (await browser.newContext({ locale: "pt-BR", viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(app.url + LESSON_PATH);
    await page.locator(".course-terminal [role=status][data-status=connected]").waitFor({ timeout: 120_000 });
    await page.getByRole("button", { name: "Verificar", exact: true }).click();
    await page.waitForFunction(
      (id) => document.querySelector(`li[data-exercise-id="${id}"]`)?.getAttribute("data-state") === "failed",
      EXERCISE,
      {
        timeout: 60_000,
      },
    );
    // In the page: when each prompt mark arrived, and when the message changed.
    await page.evaluate((id) => {
      const w = window as unknown as { __marks: number[]; __msgs: { t: number; text: string }[] };
      w.__marks = [];
      w.__msgs = [];
      window.addEventListener("course:command-finished", () => w.__marks.push(performance.now()));
      const el = document.querySelector(`li[data-exercise-id="${id}"] [data-testid=check-message]`)!;
      new MutationObserver(() => w.__msgs.push({ t: performance.now(), text: el.textContent ?? "" })).observe(el, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    }, EXERCISE);
    const sandboxId = (await page.locator(".course-terminal").getAttribute("data-sandbox-id")) ?? "";
    const term = page.locator(".course-terminal [role=tabpanel]:not([hidden]) .xterm").first();
    await term.click();
    const latencies: number[] = [];
    const floor: number[] = [];
    const script = `export COURSE_LANG='pt-BR'\n${check}`;
    for (let i = 0; i < o.rounds; i++) {
      const marksBefore = await page.evaluate(() => (window as unknown as { __marks: number[] }).__marks.length);
      await page.keyboard.type(`mkdir -p /root/respostas; echo wrong${i} > /root/respostas/pid1.txt`, { delay: 2 });
      await page.keyboard.press("Enter");
      const r = await page.waitForFunction(
        ([n, needle]) => {
          const w = window as unknown as { __marks: number[]; __msgs: { t: number; text: string }[] };
          const mark = w.__marks[n as number];
          if (mark === undefined) return null;
          const m = w.__msgs.find((x) => x.t >= mark && x.text.includes(needle as string));
          return m ? m.t - mark : null;
        },
        [marksBefore, `wrong${i}`] as const,
        { timeout: 30_000, polling: 10 },
      );
      latencies.push((await r.jsonValue()) as number);
      floor.push(await bareExec(path.join(app.dataDir, "runner/runc"), sandboxId, script));
      await page.waitForTimeout(800); // past the page's 600 ms gap between automatic runs: each command runs at once
    }
    const f = measured({
      title: "Prompt mark → checklist updated (real browser)",
      unit: "ms",
      better: "lower",
      product: side("Chromium: command-finished event → the Check's new message in the checklist", latencies),
      baseline: side("bare runc exec of the same Check in the same sandbox", floor),
      goal: "p50 ≤ 150 ms, p99 ≤ 400 ms (idle machine)",
    });
    f.met = f.product!.stat.p50 != null && f.product!.stat.p99 != null ? f.product!.stat.p50 <= 150 && f.product!.stat.p99 <= 400 : null;
    o.log(`prompt→checklist p50 ${f.product!.stat.p50} p99 ${f.product!.stat.p99} ms; bare check p50 ${f.baseline!.stat.p50} ms`);
    return { promptToChecklist: f };
  } finally {
    await browser.close();
    await app.stop();
  }
}

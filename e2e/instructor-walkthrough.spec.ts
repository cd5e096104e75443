import http from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { createUser, expectConnected, firstLesson, lessonUrl, PASSWORD, signIn, solutionLine, typeCommand, ui } from "./helpers";

/**
 * Monday morning, scripted: an instructor opens a class and puts the projector view up; 30 learners
 * behind the school's one address (127.0.0.31, used by no other test) sign up and join within a
 * minute; then, of three learners at work in real browsers, one raises a hand, one fails the
 * Checks they press, one works with only the automatic Checks failing in the background. "Só
 * alunos travados" shows exactly the first two.
 */
const FROM = "127.0.0.31";
const run = Date.now().toString(36);

/** A JSON POST from the school's address, with the learner's cookies; returns status and new cookies. */
function post(urlPath: string, body: unknown, cookie = ""): Promise<{ status: number; cookie: string }> {
  const base = new URL(process.env.BASE_URL ?? "http://localhost:3000");
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: base.port,
        path: urlPath,
        method: "POST",
        localAddress: FROM,
        headers: {
          "content-type": "application/json",
          host: base.host,
          origin: base.origin,
          connection: "close",
          ...(cookie ? { cookie } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            cookie: (res.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]).join("; ") || cookie,
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(JSON.stringify(body));
  });
}

async function learnerAt(page: Page, email: string, lessonPath: string): Promise<void> {
  await signIn(page, email, "/");
  await page.goto(lessonPath);
  await expectConnected(page, "pt-BR");
}

test("a class of 30 behind one address joins within a minute; the stuck filter shows only who asked for help or failed their Checks", async ({
  browser,
}) => {
  test.setTimeout(480_000);
  const lesson = await firstLesson();
  const [first] = lesson.exercises;
  const profEmail = `prof-walk-${run}@example.org`;
  createUser(profEmail, "instructor", "Prof Segunda");
  const prof = await (await browser.newContext()).newPage();
  await signIn(prof, profEmail, "/instructor");
  await prof.locator("main").getByLabel("Nome da turma").fill(`Segunda ${run}`);
  await prof.getByRole("button", { name: "Criar turma" }).click();
  await prof.waitForURL(/\/instructor\/classes\/[^/]+$/);
  const classUrl = new URL(prof.url()).pathname;
  const code = await prof.getByTestId("class-code").inputValue();
  const projector = await prof.context().newPage();
  await projector.goto(`${classUrl}/projector`);
  await expect(projector.getByTestId("projector-code")).toHaveText(code);

  // 30 sign-ups and 30 joins from one address, all at once.
  const email = (i: number) => `seg-${run}-${i}@example.org`;
  const signUps = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      post("/api/auth/sign-up/email", { name: `Aluno ${String(i).padStart(2, "0")}`, email: email(i), password: PASSWORD }),
    ),
  );
  expect(signUps.map((r) => r.status)).toEqual(Array(30).fill(200));
  const joins = await Promise.all(signUps.map((s) => post("/api/join", { code: code.toLowerCase() }, s.cookie)));
  expect(joins.map((r) => r.status)).toEqual(Array(30).fill(200));
  const rows = prof.locator('tr[data-testid^="row-"]');
  await expect(rows).toHaveCount(30, { timeout: 30_000 });
  // A guest (no account) cannot join over the same route.
  expect((await post("/api/join", { code })).status).toBe(403);

  const lessonPath = lessonUrl("pt-BR", lesson);
  const rowOf = (name: string) => prof.locator('tr[data-testid^="row-"]', { has: prof.getByRole("link", { name, exact: true }) });

  // Aluno 00 asks for help.
  const hand = await (await browser.newContext()).newPage();
  await learnerAt(hand, email(0), lessonPath);
  await hand.getByTestId("raise-hand").click();
  await expect(rowOf("Aluno 00").getByTestId("row-hand")).toBeVisible({ timeout: 30_000 });

  // Aluno 01 works with the terminal only: the first exercise passes by itself, and the automatic
  // Checks of the others fail after every command. None of that makes them stuck.
  const quiet = await (await browser.newContext()).newPage();
  await learnerAt(quiet, email(1), lessonPath);
  await typeCommand(quiet, solutionLine(lesson, first!.id));
  await expect(prof.getByTestId(`cell-${(await rowOf("Aluno 01").getAttribute("data-testid"))!.slice(4)}-${first!.id}`)).toHaveAttribute(
    "data-status",
    "passed",
    { timeout: 30_000 },
  );
  await typeCommand(quiet, "ls /root && echo feito");

  // Aluno 02 presses "Verificar" and fails, until the matrix calls them stuck.
  const presser = await (await browser.newContext()).newPage();
  await learnerAt(presser, email(2), lessonPath);
  const presserId = (await rowOf("Aluno 02").getAttribute("data-testid"))!.slice(4);
  const presserCell = prof.getByTestId(`cell-${presserId}-${first!.id}`);
  for (let i = 0; i < 6 && (await presserCell.getAttribute("data-status")) !== "stuck"; i++) {
    await presser.getByRole("button", { name: ui["pt-BR"].check, exact: true }).click();
    await expect(presser.locator("section.course-exercises")).toHaveAttribute("data-checking", "0", { timeout: 60_000 });
    await expect
      .poll(async () => Number((await presserCell.getAttribute("title"))?.match(/(\d+) verifica/)?.[1] ?? 0), { timeout: 30_000 })
      .toBeGreaterThan(i);
  }
  await expect(presserCell).toHaveAttribute("data-status", "stuck", { timeout: 30_000 });

  // The stuck filter: exactly the learner with a raised hand and the one who failed their Checks.
  await prof.getByLabel("Só alunos travados").check();
  await expect(rows).toHaveCount(2);
  // The hand first (it is a direct request for help), then the stuck learner.
  expect(await rows.locator("th a").allInnerTexts()).toEqual(["Aluno 00", "Aluno 02"]);
});

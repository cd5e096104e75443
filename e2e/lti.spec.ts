import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { exerciseItem, expectConnected, firstLesson, lessonUrl, solutionLine, typeCommand } from "./helpers";
import { PlatformSimulator, ROLE } from "./lti/platform-simulator";

/**
 * LTI 1.3 round trip in real Chromium against the real app, runner and containers: a simulated LMS
 * (its own keys, real HTTP on another site, 127.0.0.1 against the app's localhost) is registered with
 * the CLI an operator uses; its pages form-post the browser into the tool's OIDC login, the app
 * redirects to the LMS's auth endpoint, which form-posts the signed id_token back. The instructor
 * lands in the class of the LMS course; the learner lands in the lesson signed in, passes an
 * exercise in the terminal, and the LMS receives the score through Assignment and Grade Services.
 */
const root = path.resolve(__dirname, "..");
const base = new URL(process.env.BASE_URL ?? "http://localhost:3000");
const run = Date.now().toString(36);
let sim: PlatformSimulator;

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  sim = await new PlatformSimulator({
    clientId: `e2e-client-${run}`,
    tool: { loginUrl: `${base.origin}/api/lti/login`, launchUrl: `${base.origin}/api/lti/launch`, jwksUrl: `${base.origin}/api/lti/jwks` },
  }).start();
  const r = sim.registration();
  const cli = spawnSync(
    path.join(root, "node_modules/.bin/tsx"),
    [
      "scripts/lti-platform.ts",
      "add",
      "--name",
      r.name,
      "--issuer",
      r.issuer,
      "--client-id",
      r.clientId,
      "--auth-url",
      r.authUrl,
      "--token-url",
      r.tokenUrl,
      "--jwks-url",
      r.jwksUrl,
      "--deployment-id",
      r.deploymentIds[0]!,
    ],
    { cwd: root, encoding: "utf8", env: process.env },
  );
  if (cli.status !== 0) throw new Error(`lti:platform add failed: ${cli.stdout}\n${cli.stderr}`);
});

test.afterAll(async () => {
  await sim?.stop();
});

const context = { id: `course-${run}`, title: `Docker LTI ${run}` };

test("an LMS instructor's launch signs them in and opens the class of their LMS course; the LMS roster fills it", async ({ page }) => {
  const teacher = { sub: `teacher-${run}`, name: "Profa. Lia", email: `lia-${run}@escola.example`, roles: [ROLE.instructor] };
  sim.roster = [teacher, { sub: `roster-${run}`, name: `Nina Roster ${run}`, roles: [ROLE.learner] }];
  const { startUrl } = sim.prepareLaunch({ user: teacher, context, resourceLinkId: "home", nrps: true });
  await page.goto(startUrl);
  await expect(page).toHaveURL(/\/instructor\/classes\/[^/]+$/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(context.title);
  await expect(page.locator(".account-nav__who")).toContainText("Profa. Lia");
  const panel = page.getByTestId("lti-panel");
  await expect(panel.getByRole("heading")).toHaveText(`Curso no AVA: ${context.title} (Simulated LMS)`);
  await panel.getByRole("button", { name: "Sincronizar turma e enviar notas" }).click();
  await expect(page.getByTestId("lti-sync-result")).toHaveText("2 participantes no curso do AVA; 0 notas enviadas, 0 não enviadas.");
  await page.reload();
  await expect(page.locator("main")).toContainText(`Nina Roster ${run}`);
});

test("an LMS learner's launch opens the lesson signed in; passing an exercise sends the score to the LMS", async ({ page }) => {
  const lesson = await firstLesson();
  const lineItem = sim.addLineItem(lesson.content["pt-BR"].title, `lesson-${run}`);
  const sub = `learner-${run}`;
  const { startUrl } = sim.prepareLaunch({
    user: { sub, name: "Rui Aluno", roles: [ROLE.learner] },
    context,
    resourceLinkId: `lesson-${run}`,
    custom: { lesson: lesson.id },
    ags: { lineItemId: lineItem.id },
    locale: "pt-BR",
  });
  await page.goto(startUrl);
  await expect(page).toHaveURL(new RegExp(`${lessonUrl("pt-BR", lesson)}$`));
  await expect(page.locator(".account-nav__who")).toContainText("Rui Aluno");
  await expectConnected(page, "pt-BR");
  const ex = lesson.exercises[0]!;
  await typeCommand(page, solutionLine(lesson, ex.id));
  await expect(exerciseItem(page, ex.id)).toHaveAttribute("data-state", "passed", { timeout: 60_000 });
  await expect
    .poll(() => sim.scores.filter((s) => s.lineItemId === lineItem.id && s.body.userId === sub).at(-1)?.body.scoreGiven, {
      timeout: 60_000,
      message: "the LMS should receive the learner's score",
    })
    .toBe(Math.round((100 / lesson.exercises.length) * 100) / 100);
});

test("Deep Linking: the teacher picks a lesson and the LMS receives the signed link with its gradebook column", async ({ page }) => {
  const lesson = await firstLesson();
  const title = lesson.content["pt-BR"].title;
  const { startUrl } = sim.prepareLaunch({
    user: { sub: `teacher-${run}`, name: "Profa. Lia", roles: [ROLE.instructor] },
    context,
    type: "LtiDeepLinkingRequest",
    locale: "pt-BR",
  });
  await page.goto(startUrl);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Escolha uma lição para o seu curso no AVA");
  await page.getByRole("button", { name: `Adicionar "${title}"` }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Activity added");
  const items = sim.deepLinkReturns.at(-1)?.["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"];
  expect(items).toEqual([
    {
      type: "ltiResourceLink",
      title,
      url: `${base.origin}/api/lti/launch`,
      custom: { lesson: lesson.id },
      lineItem: { scoreMaximum: 100, label: title, resourceId: lesson.id },
    },
  ]);
});

test("a launch with a forged signature is refused with a clear page, in both languages", async ({ page }) => {
  const { startUrl } = sim.prepareLaunch({
    user: { sub: `forger-${run}`, name: "Forja", roles: [ROLE.instructor] },
    context,
    tamper: { rogueKey: true },
  });
  const answers: number[] = [];
  page.on("response", (r) => {
    if (r.url().endsWith("/api/lti/launch")) answers.push(r.status());
  });
  await page.goto(startUrl);
  await expect(page.locator('[data-lti-error="bad_signature"]').first()).toBeVisible();
  await expect(page.getByText("O AVA não conseguiu abrir este curso")).toBeVisible();
  await expect(page.getByText("The LMS could not open this course")).toBeVisible();
  expect(answers).toEqual([401]);
});

import { expect, test } from "@playwright/test";
import { postFrom, type PostAnswer } from "./helpers";

/**
 * A class of 30 behind a school's one address signs up and in within a minute, while a password
 * guesser on one account is refused with a retry time. Requests come from 127.0.0.7 (no other test
 * uses it): the app's server puts the socket's address in X-Forwarded-For.
 */
const FROM = "127.0.0.7";
const post = (urlPath: string, body: unknown) => postFrom(FROM, urlPath, body);

test("30 learners behind one address sign up and sign in within a minute; a guesser is locked out with a retry time", async ({ page }) => {
  test.setTimeout(180_000);
  const run = `${Date.now().toString(36)}`;
  const email = (i: number) => `turma-${run}-${i}@example.org`;
  const password = "senha-da-turma-1";
  const signUps = await Promise.all(
    Array.from({ length: 30 }, (_, i) => post("/api/auth/sign-up/email", { name: `Aluno ${i}`, email: email(i), password })),
  );
  expect(signUps.map((a) => a.status)).toEqual(Array(30).fill(200));
  const signIns = await Promise.all(Array.from({ length: 30 }, (_, i) => post("/api/auth/sign-in/email", { email: email(i), password })));
  expect(signIns.map((a) => a.status)).toEqual(Array(30).fill(200));

  // One learner mistypes (or someone guesses) learner 0's password: after a few failures, 429 with a wait.
  const guesses: PostAnswer[] = [];
  for (let i = 0; i < 8; i++) guesses.push(await post("/api/auth/sign-in/email", { email: email(0), password: `wrong-${i}-password` }));
  expect(guesses[0]!.status).toBe(401);
  const refused = guesses.at(-1)!;
  expect(refused.status).toBe(429);
  expect(Number(refused.retryAfter)).toBeGreaterThan(0);
  expect(Number(refused.body.retryAfter)).toBeGreaterThan(0);
  // Even the right password waits now: the lock is on the account.
  expect((await post("/api/auth/sign-in/email", { email: email(0), password })).status).toBe(429);
  // The rest of the room, same address, still signs in.
  expect((await post("/api/auth/sign-in/email", { email: email(1), password })).status).toBe(200);

  // The form says when to retry, in the page's language.
  await page.goto("/signin");
  await page.getByLabel("E-mail").fill(email(0));
  await page.getByLabel("Senha").fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
  await expect(page.getByText(/Tentativas demais\. Tente de novo em \d+ (minutos?|segundos?)\./)).toBeVisible();
});

import { describe, expect, it } from "vitest";
import { createTranslator } from "next-intl";
import en from "@/_i18n/messages/en.json";
import ptBR from "@/_i18n/messages/pt-BR.json";
import { sandboxErrorText, type Translate } from "@/_i18n/sandbox-errors";
import { actionError, SandboxProblem } from "../runner";
import { createSandboxQuota, PER_LEARNER } from "./sandbox-quota";

const guest = (n: number) => ({ userId: `guest-${n}`, kind: "guest" });

async function refusal(p: Promise<void>): Promise<SandboxProblem> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SandboxProblem);
  return e as SandboxProblem;
}

describe("limits on new sandboxes", () => {
  it("a class of 30 guests behind one address all get one; a script of cookie-less guests stops at the limit", async () => {
    const q = createSandboxQuota(60);
    for (let i = 0; i < 30; i++) await q.take(guest(i), "203.0.113.1");
    for (let i = 30; i < 60; i++) await q.take(guest(i), "203.0.113.1");
    const p = await refusal(q.take(guest(60), "203.0.113.1"));
    expect(p.code).toBe("too-many-sandboxes");
    expect(p.retryAfter).toBeGreaterThan(0);
    expect(p.retryAfter).toBeLessThanOrEqual(600);
    // Another address is not affected; a signed-in learner behind the full address is not counted there.
    await q.take(guest(61), "198.51.100.2");
    await q.take({ userId: "account-1", kind: "account" }, "203.0.113.1");
  });

  it("one learner gets a few fresh sandboxes (reset), not unlimited", async () => {
    const q = createSandboxQuota(1000);
    const me = { userId: "account-2", kind: "account" };
    for (let i = 0; i < PER_LEARNER; i++) await q.take(me, "192.0.2.9");
    expect((await refusal(q.take(me, "192.0.2.9"))).code).toBe("too-many-sandboxes");
  });

  it("tells the learner what happened and when to come back, in their language", async () => {
    const q = createSandboxQuota(1);
    await q.take(guest(1), "192.0.2.1");
    const p = await refusal(q.take(guest(2), "192.0.2.1"));
    const r = actionError(p);
    expect(r).toEqual({ ok: false, code: "too-many-sandboxes", retryAfter: p.retryAfter });
    const words = (locale: "pt-BR" | "en") =>
      sandboxErrorText(
        createTranslator({ locale, messages: locale === "en" ? en : ptBR, namespace: "sandboxErrors" }) as unknown as Translate,
        r.code,
        r.retryAfter,
      );
    expect(words("pt-BR")).toMatch(/Muitos sandboxes novos.*minutos/);
    expect(words("en")).toMatch(/Too many new sandboxes.*Try again in \d+ minutes/);
  });
});

import { createTranslator } from "next-intl";
import { describe, expect, it } from "vitest";
import type { SandboxErrorCode } from "@/_lib/runner";
import en from "./messages/en.json";
import ptBR from "./messages/pt-BR.json";
import { sandboxErrorText, waitParams, type Translate } from "./sandbox-errors";

const CODES: SandboxErrorCode[] = [
  "runner-down",
  "capacity",
  "too-many-sandboxes",
  "expired",
  "unauthorized",
  "not-found",
  "invalid-input",
  "storage-full",
  "unknown",
  "queued",
];
const tr = (locale: "pt-BR" | "en") =>
  createTranslator({ locale, messages: locale === "en" ? en : ptBR, namespace: "sandboxErrors" }) as unknown as Translate;

describe("sandbox error codes worded from the catalogue", () => {
  it("waits: seconds below 90, whole minutes above, nothing for a missing or bad value", () => {
    expect(waitParams(undefined)).toEqual({ unit: "none", n: 0 });
    expect(waitParams(-3)).toEqual({ unit: "none", n: 0 });
    expect(waitParams(Number.NaN)).toEqual({ unit: "none", n: 0 });
    expect(waitParams(12)).toEqual({ unit: "seconds", n: 12 });
    expect(waitParams(89)).toEqual({ unit: "seconds", n: 89 });
    expect(waitParams(12.3)).toEqual({ unit: "seconds", n: 13 });
    expect(waitParams(90)).toEqual({ unit: "minutes", n: 2 });
    expect(waitParams(600)).toEqual({ unit: "minutes", n: 10 });
  });

  it("every code has words in both languages", () => {
    for (const locale of ["pt-BR", "en"] as const)
      for (const code of CODES) expect(sandboxErrorText(tr(locale), code, 30)).toMatch(/\w{3,}.*\./);
  });

  it("says when to come back, in the learner's language", () => {
    expect(sandboxErrorText(tr("pt-BR"), "capacity", 20)).toBe(
      "Todos os sandboxes estão ocupados agora. Tente de novo em 20 segundos; seu progresso está salvo.",
    );
    expect(sandboxErrorText(tr("en"), "capacity")).toContain("Try again in a minute");
    expect(sandboxErrorText(tr("en"), "too-many-sandboxes", 400)).toMatch(/Too many new sandboxes.*Try again in 7 minutes/);
    expect(sandboxErrorText(tr("pt-BR"), "too-many-sandboxes")).toMatch(/Muitos sandboxes novos.*em alguns minutos/);
    expect(sandboxErrorText(tr("en"), "expired")).toBe("Your previous sandbox expired; a fresh one was created.");
    expect(sandboxErrorText(tr("pt-BR"), "runner-down")).toMatch(/não responde.*progresso está salvo/);
  });

  it("tells a learner waiting in line their place, in their language", () => {
    expect(sandboxErrorText(tr("pt-BR"), "queued", 2, 3)).toMatch(/^Você é o 3º na fila — .*abre sozinho/);
    expect(sandboxErrorText(tr("en"), "queued", 2, 3)).toMatch(/^You are number 3 in the queue — .*opens by itself/);
  });
});

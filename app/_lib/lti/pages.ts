import { createTranslator } from "next-intl";
import en from "@/_i18n/messages/en.json";
import ptBR from "@/_i18n/messages/pt-BR.json";
import type { LtiError } from "./errors";

/**
 * The two HTML pages the LTI endpoints answer with themselves (they are reached by the LMS's form
 * posts, outside the app's pages): a refusal and the Deep Linking lesson picker. No script and no
 * inline style, so the API's `default-src 'none'` policy holds; the picker's forms post straight to
 * the LMS (form-action is not limited by default-src). Sentences come from the catalogue (`lti.*`).
 */
type Locale = "pt-BR" | "en";
const MESSAGES = { "pt-BR": ptBR, en } as const;

function t(locale: Locale) {
  return createTranslator({ locale, messages: MESSAGES[locale], namespace: "lti" });
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(lang: string, title: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head><body><main>${body}</main></body></html>`;
}

/** A refusal, in both languages (which one the person reads is not known before the token is trusted). */
export function errorPage(e: LtiError): string {
  const parts = (["pt-BR", "en"] as const).map((l) => {
    const tr = t(l);
    return `<section lang="${l}" data-lti-error="${e.code}"><h1>${escapeHtml(tr("title"))}</h1><p>${escapeHtml(tr(`error_${e.code}`))}</p><p>${escapeHtml(tr("whatToDo"))}</p></section>`;
  });
  return page(
    "pt-BR",
    t("pt-BR")("title"),
    parts.join("<hr>") + `<p><small>${escapeHtml(t("en")("detail", { detail: e.detail }))}</small></p>`,
  );
}

export function pickerPage(locale: Locale, returnUrl: string, picks: { title: string; jwt: string; whole: boolean }[]): string {
  const tr = t(locale);
  const forms = picks
    .map(
      (p) =>
        `<li><form method="post" action="${escapeHtml(returnUrl)}"><input type="hidden" name="JWT" value="${escapeHtml(p.jwt)}"><button type="submit">${escapeHtml(p.whole ? tr("pickCourse") : tr("pick", { title: p.title }))}</button></form></li>`,
    )
    .join("");
  return page(locale, tr("pickTitle"), `<h1>${escapeHtml(tr("pickTitle"))}</h1><p>${escapeHtml(tr("pickIntro"))}</p><ul>${forms}</ul>`);
}

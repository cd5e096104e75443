"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "./useHydrated";
import { joinClassAction } from "@/_lib/actions/classes";

/** Joining a class: with the code from the link (a button) or typed by the learner (a field). */
export default function JoinClass({ code, courseHref }: { code?: string; courseHref: string }) {
  const t = useTranslations("join");
  const [busy, setBusy] = useState(false);
  // Until React has hydrated, the browser would submit the form itself (fields in the URL): wait.
  const ready = useHydrated();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const typed = code ?? String(new FormData(e.currentTarget).get("code") ?? "");
    setBusy(true);
    const r = await joinClassAction(typed).catch((err: Error) => ({ ok: false as const, code: "unknown" as const, message: err.message }));
    setBusy(false);
    if (r.ok) setResult({ ok: true, text: t("joined", { name: r.name }) });
    else setResult({ ok: false, text: r.code === "not-found" ? t("unknown") : t("notAllowed", { message: r.message }) });
  }

  if (result?.ok) {
    return (
      <div className="form-card" role="status">
        <p className="form-success">{result.text}</p>
        <a className="btn btn--primary" href={courseHref}>
          {t("backToCourse")}
        </a>
      </div>
    );
  }
  return (
    <form className="form-card" method="post" onSubmit={submit}>
      {!code && (
        <label className="field">
          <span className="field__label">{t("code")}</span>
          <input name="code" type="text" required autoComplete="off" autoCapitalize="characters" maxLength={20} spellCheck={false} />
        </label>
      )}
      {result && (
        <p className="form-error" role="alert">
          {result.text}
        </p>
      )}
      <button className="btn btn--primary" type="submit" disabled={busy || !ready} aria-busy={busy}>
        {code ? t("confirm") : t("submit")}
      </button>
    </form>
  );
}

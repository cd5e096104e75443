"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "@/_components/auth/useHydrated";
import { createClassAction } from "@/_lib/actions/classes";

/** "New class": a name, then the page reloads with the class (and its code) in the list. */
export default function CreateClassForm({ classHref }: { classHref: string }) {
  const t = useTranslations("instructor");
  const [busy, setBusy] = useState(false);
  // Until React has hydrated, the browser would submit the form itself (fields in the URL): wait.
  const ready = useHydrated();
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const name = String(new FormData(e.currentTarget).get("name") ?? "");
    setBusy(true);
    setError(null);
    const r = await createClassAction(name).catch((err: Error) => ({ ok: false as const, code: "unknown" as const, message: err.message }));
    setBusy(false);
    if (r.ok) window.location.assign(classHref.replace("__ID__", encodeURIComponent(r.id)));
    else setError(r.message);
  }

  return (
    <form className="inline-form" method="post" onSubmit={submit}>
      <label className="field">
        <span className="field__label">{t("className")}</span>
        <input name="name" type="text" required maxLength={100} />
      </label>
      <button className="btn btn--primary" type="submit" disabled={busy || !ready} aria-busy={busy}>
        {busy ? t("creating") : t("create")}
      </button>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "@/_components/auth/useHydrated";

/**
 * The two halves of a password reset, both through better-auth's endpoints: "forgot" asks for an
 * e-mailed link (only when the server has SMTP), "reset" sets the new password with the link's
 * one-time token (from an e-mail or an instructor).
 */
export default function PasswordReset({
  mode,
  token,
  resetPath,
  signInHref,
}: {
  mode: "forgot" | "reset";
  token?: string;
  resetPath: string;
  signInHref: string;
}) {
  const t = useTranslations("roster");
  const ready = useHydrated();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    if (mode === "reset" && form.get("password") !== form.get("again")) return setError(t("pwMismatch"));
    setBusy(true);
    const res = await fetch(mode === "reset" ? "/api/auth/reset-password" : "/api/auth/request-password-reset", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(
        mode === "reset" ? { token, newPassword: form.get("password") } : { email: form.get("email"), redirectTo: resetPath },
      ),
    }).catch(() => null);
    setBusy(false);
    if (res?.ok) return setDone(true);
    const body = (await res?.json().catch(() => null)) as { code?: string; message?: string } | null;
    if (body?.code === "INVALID_TOKEN") setError(t("pwBadToken"));
    else if (body?.code?.startsWith("PASSWORD_TOO")) setError(t("pwWeak"));
    else if (res?.status === 429) setError(t("pwTooMany"));
    else setError(t("pwFailed", { message: body?.message ?? String(res?.status ?? "network") }));
  }

  if (done)
    return (
      <div className="form-card" role="status" data-testid="reset-done">
        <p className="form-success">{mode === "reset" ? t("pwChanged") : t("pwMailSent")}</p>
        {mode === "reset" && (
          <a className="btn btn--primary" href={signInHref}>
            {t("pwSignIn")}
          </a>
        )}
      </div>
    );
  if (mode === "reset" && !token)
    return (
      <p className="form-error" role="alert">
        {t("pwBadToken")}
      </p>
    );
  return (
    <form className="form-card" method="post" onSubmit={submit}>
      {mode === "forgot" ? (
        <label className="field">
          <span className="field__label">{t("pwEmail")}</span>
          <input name="email" type="email" required autoComplete="email" />
        </label>
      ) : (
        <>
          <label className="field">
            <span className="field__label">{t("pwNew")}</span>
            <input name="password" type="password" required minLength={8} maxLength={128} autoComplete="new-password" />
          </label>
          <label className="field">
            <span className="field__label">{t("pwAgain")}</span>
            <input name="again" type="password" required minLength={8} maxLength={128} autoComplete="new-password" />
          </label>
        </>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="btn btn--primary" type="submit" disabled={busy || !ready} aria-busy={busy}>
        {mode === "reset" ? t("pwSave") : t("pwSend")}
      </button>
    </form>
  );
}

"use client";

import { useState, type FormEvent } from "react";
import { useTranslations } from "next-intl";
import { useHydrated } from "./useHydrated";

/**
 * Sign-in and sign-up form. It posts to better-auth's own endpoints (/api/auth/…), so their rate
 * limits and Origin checks apply; the browser keeps the session cookie better-auth sets. After
 * success the whole page reloads at `next`, so every server-rendered part sees the account.
 */
export default function AuthForm({ mode, next }: { mode: "signin" | "signup"; next: string }) {
  const t = useTranslations("auth");
  const [busy, setBusy] = useState(false);
  // Until React has hydrated, the browser would submit the form itself (fields in the URL): wait.
  const ready = useHydrated();
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body =
      mode === "signup"
        ? {
            name: String(form.get("name") ?? "").trim(),
            email: String(form.get("email") ?? "").trim(),
            password: String(form.get("password") ?? ""),
          }
        : { email: String(form.get("email") ?? "").trim(), password: String(form.get("password") ?? "") };
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/api/auth/${mode === "signup" ? "sign-up" : "sign-in"}/email`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      if (res.ok) {
        window.location.assign(next);
        return;
      }
      const j = (await res.json().catch(() => ({}))) as { code?: string; message?: string; retryAfter?: number };
      if (res.status === 429) {
        const secs = Math.max(1, Number(res.headers.get("retry-after")) || j.retryAfter || 60);
        const wait = secs < 90 ? t("waitSeconds", { n: secs }) : t("waitMinutes", { n: Math.ceil(secs / 60) });
        setError(t("tooMany", { wait }));
      } else if (res.status === 401) setError(t("invalid"));
      else if (j.code?.includes("USER_ALREADY_EXISTS") || j.code?.includes("EXISTS")) setError(t("exists"));
      else if (j.code?.includes("PASSWORD_TOO_SHORT")) setError(t("weakPassword"));
      else setError(t("failed", { message: j.message ?? String(res.status) }));
    } catch (err) {
      setError(t("failed", { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form-card" method="post" onSubmit={submit} noValidate={false} aria-describedby={error ? "auth-error" : undefined}>
      {mode === "signup" && (
        <label className="field">
          <span className="field__label">{t("name")}</span>
          <input name="name" type="text" autoComplete="name" required maxLength={100} />
        </label>
      )}
      <label className="field">
        <span className="field__label">{t("email")}</span>
        <input name="email" type="email" autoComplete="email" required maxLength={200} />
      </label>
      <label className="field">
        <span className="field__label">{t("password")}</span>
        <input
          name="password"
          type="password"
          autoComplete={mode === "signup" ? "new-password" : "current-password"}
          required
          minLength={mode === "signup" ? 8 : undefined}
          maxLength={128}
          aria-describedby={mode === "signup" ? "password-hint" : undefined}
        />
        {mode === "signup" && (
          <span id="password-hint" className="field__hint">
            {t("passwordHint")}
          </span>
        )}
      </label>
      {error && (
        <p id="auth-error" className="form-error" role="alert">
          {error}
        </p>
      )}
      <button className="btn btn--primary" type="submit" disabled={busy || !ready} aria-busy={busy}>
        {busy ? t("working") : mode === "signup" ? t("submitSignUp") : t("submitSignIn")}
      </button>
    </form>
  );
}

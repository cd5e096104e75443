"use client";

import "./accounts.css";
import { useEffect, useState } from "react";
import { useLocale, useTranslations } from "next-intl";
import { pages } from "@/_lib/instructor/paths";
import { useBrowserPath } from "./useHydrated";
import type { Locale } from "@/_i18n/routing";

interface Me {
  signedIn: boolean;
  name?: string | null;
  email?: string | null;
  role?: "learner" | "instructor" | "admin";
}

/**
 * The header's account links. Asked from /api/me after load, so lesson pages stay prerendered;
 * until it answers only "Sign in" shows (a guest is the common case).
 */
export default function AccountMenu() {
  const t = useTranslations("account");
  const locale = useLocale() as Locale;
  const [me, setMe] = useState<Me>({ signedIn: false });
  const here = useBrowserPath();

  useEffect(() => {
    let live = true;
    fetch("/api/me", { credentials: "same-origin" })
      .then((r) => (r.ok ? r.json() : { signedIn: false }))
      .then((m: Me) => live && setMe(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  async function signOut() {
    await fetch("/api/auth/sign-out", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
      credentials: "same-origin",
    }).catch(() => undefined);
    window.location.assign(locale === "pt-BR" ? "/" : `/${locale}`);
  }

  if (!me.signedIn) {
    return (
      <nav className="account-nav" aria-label={t("menu")}>
        <a className="account-nav__link" href={pages.signIn(locale, here)} data-testid="sign-in-link">
          {t("signIn")}
        </a>
      </nav>
    );
  }
  return (
    <nav className="account-nav" aria-label={t("menu")}>
      <span className="account-nav__who" title={me.email ?? undefined}>
        <span className="visually-hidden">{t("signedInAs", { name: "" })}</span>
        {me.name || me.email}
      </span>
      {(me.role === "instructor" || me.role === "admin") && (
        <a className="account-nav__link" href={pages.classes(locale)}>
          {t("instructor")}
        </a>
      )}
      {me.role === "admin" && (
        <a className="account-nav__link" href={pages.admin(locale)}>
          {t("admin")}
        </a>
      )}
      {me.role === "learner" && (
        <a className="account-nav__link" href={pages.join(locale)}>
          {t("joinClass")}
        </a>
      )}
      <button type="button" className="btn btn--ghost btn--small" onClick={signOut}>
        {t("signOut")}
      </button>
    </nav>
  );
}

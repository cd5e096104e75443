"use client";

import { useEffect, useState } from "react";
import { useTranslations } from "next-intl";

export const THEME_KEY = "course:theme";
type Scheme = "light" | "dark";

function effective(): Scheme {
  const explicit = document.documentElement.dataset.theme;
  if (explicit === "light" || explicit === "dark") return explicit;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/**
 * Light/dark switch. The system preference applies until the learner chooses; the choice is kept
 * in localStorage and applied before first paint by the inline script in the root layout.
 */
export default function ThemeToggle() {
  const t = useTranslations("theme");
  const [scheme, setScheme] = useState<Scheme | null>(null);

  useEffect(() => {
    setScheme(effective());
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    const update = () => setScheme(effective());
    mq.addEventListener("change", update);
    return () => mq.removeEventListener("change", update);
  }, []);

  const toggle = () => {
    const next: Scheme = effective() === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    localStorage.setItem(THEME_KEY, next);
    setScheme(next);
  };

  const label = scheme === "dark" ? t("toLight") : t("toDark");
  return (
    <button type="button" className="icon-btn" onClick={toggle} aria-label={label} title={label}>
      <span aria-hidden="true">{scheme === "dark" ? "☀" : "☾"}</span>
    </button>
  );
}

"use client";

import { useSyncExternalStore } from "react";
import { useTranslations } from "next-intl";

export const THEME_KEY = "course:theme";
type Scheme = "light" | "dark";

function effective(): Scheme {
  const explicit = document.documentElement.dataset.theme;
  if (explicit === "light" || explicit === "dark") return explicit;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

// The scheme lives outside React (the <html> attribute and the system setting): subscribe to both.
function subscribe(onChange: () => void): () => void {
  const mq = window.matchMedia("(prefers-color-scheme: dark)");
  const mo = new MutationObserver(onChange);
  mq.addEventListener("change", onChange);
  mo.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    mq.removeEventListener("change", onChange);
    mo.disconnect();
  };
}

/**
 * Light/dark switch. The system preference applies until the learner chooses; the choice is kept
 * in localStorage and applied before first paint by the inline script in the root layout.
 */
export default function ThemeToggle() {
  const t = useTranslations("theme");
  const scheme = useSyncExternalStore<Scheme | null>(subscribe, effective, () => null);

  const toggle = () => {
    const next: Scheme = effective() === "dark" ? "light" : "dark";
    document.documentElement.dataset.theme = next;
    try {
      localStorage.setItem(THEME_KEY, next);
    } catch {
      /* storage refused (private mode): the choice lasts for this page */
    }
  };

  const label = scheme === "dark" ? t("toLight") : t("toDark");
  return (
    <button type="button" className="icon-btn" onClick={toggle} aria-label={label} title={label}>
      <span aria-hidden="true">{scheme === "dark" ? "☀" : "☾"}</span>
    </button>
  );
}

"use client";

import { useEffect, useState } from "react";

/**
 * Follows the page's light/dark choice: an explicit `dark`/`light` class or `data-theme` on <html>
 * (set by the app's theme switch) wins over the system's `prefers-color-scheme`.
 */
export type Scheme = "light" | "dark";

function read(): Scheme {
  const html = document.documentElement;
  const explicit = html.dataset.theme ?? (html.classList.contains("dark") ? "dark" : html.classList.contains("light") ? "light" : undefined);
  if (explicit === "dark" || explicit === "light") return explicit;
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function useColorScheme(): Scheme {
  const [scheme, setScheme] = useState<Scheme>("light");
  useEffect(() => {
    const update = () => setScheme(read());
    update();
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    mq.addEventListener("change", update);
    const mo = new MutationObserver(update);
    mo.observe(document.documentElement, { attributes: true, attributeFilter: ["class", "data-theme"] });
    return () => {
      mq.removeEventListener("change", update);
      mo.disconnect();
    };
  }, []);
  return scheme;
}

/** xterm themes with WCAG AA contrast for the default foreground on the background. */
export const terminalThemes = {
  light: { background: "#ffffff", foreground: "#1f2328", cursor: "#1f2328", cursorAccent: "#ffffff", selectionBackground: "#b6d4fe" },
  dark: { background: "#0d1117", foreground: "#e6edf3", cursor: "#e6edf3", cursorAccent: "#0d1117", selectionBackground: "#264f78" },
} as const;

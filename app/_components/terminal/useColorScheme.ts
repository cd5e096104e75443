"use client";

import { useEffect, useState } from "react";

/**
 * Follows the page's light/dark choice: an explicit `dark`/`light` class or `data-theme` on <html>
 * (set by the app's theme switch) wins over the system's `prefers-color-scheme`.
 */
export type Scheme = "light" | "dark";

function read(): Scheme {
  const html = document.documentElement;
  const explicit =
    html.dataset.theme ?? (html.classList.contains("dark") ? "dark" : html.classList.contains("light") ? "light" : undefined);
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

/**
 * xterm themes whose 16 ANSI colours all keep ≥ 4.5:1 contrast on the background (WCAG AA): the
 * shell's green prompt must stay readable on white. xterm's minimumContrastRatio is a second net.
 */
export const terminalThemes = {
  light: {
    background: "#ffffff",
    foreground: "#1f2328",
    cursor: "#1f2328",
    cursorAccent: "#ffffff",
    selectionBackground: "#b6d4fe",
    black: "#1f2328",
    red: "#b42318",
    green: "#116329",
    yellow: "#7a4d00",
    blue: "#0550ae",
    magenta: "#8250df",
    cyan: "#0f6b73",
    white: "#57606a",
    brightBlack: "#57606a",
    brightRed: "#a40e26",
    brightGreen: "#116329",
    brightYellow: "#633c01",
    brightBlue: "#0550ae",
    brightMagenta: "#6639ba",
    brightCyan: "#0f5c63",
    brightWhite: "#424a53",
  },
  dark: {
    background: "#0d1117",
    foreground: "#e6edf3",
    cursor: "#e6edf3",
    cursorAccent: "#0d1117",
    selectionBackground: "#264f78",
    black: "#8b949e",
    red: "#ff7b72",
    green: "#3fb950",
    yellow: "#d29922",
    blue: "#58a6ff",
    magenta: "#bc8cff",
    cyan: "#39c5cf",
    white: "#b1bac4",
    brightBlack: "#8b949e",
    brightRed: "#ffa198",
    brightGreen: "#56d364",
    brightYellow: "#e3b341",
    brightBlue: "#79c0ff",
    brightMagenta: "#d2a8ff",
    brightCyan: "#56d4dd",
    brightWhite: "#f0f6fc",
  },
} as const;

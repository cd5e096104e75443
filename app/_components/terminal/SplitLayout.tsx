"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from "react";
import { terminalStrings } from "./strings";

/**
 * Lesson text beside the terminal, with a draggable (and keyboard-resizable) separator.
 * Below 900px the panes stack (pure CSS, see the <style> below) and the separator hides.
 * The split is remembered per browser in localStorage.
 */
export interface SplitLayoutProps {
  lesson: ReactNode;
  workspace: ReactNode;
  locale: string;
  /** Initial share of the lesson pane, in percent. */
  initial?: number;
}

const MIN = 20;
const MAX = 80;
const STORAGE_KEY = "course:split";

export function clampSplit(v: number): number {
  return Math.min(MAX, Math.max(MIN, Math.round(v)));
}

function skipToTerminal(e: MouseEvent<HTMLAnchorElement>) {
  const input = document.querySelector<HTMLElement>("#course-terminal [role=tabpanel]:not([hidden]) textarea.xterm-helper-textarea");
  if (!input) return;
  e.preventDefault();
  input.focus();
}

export default function SplitLayout({ lesson, workspace, locale, initial = 45 }: SplitLayoutProps) {
  const t = terminalStrings(locale);
  const [split, setSplit] = useState(initial);
  const root = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  useEffect(() => {
    const saved = Number(localStorage.getItem(STORAGE_KEY));
    // After hydration on purpose: the split is in the markup, the server cannot know the saved one.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (saved) setSplit(clampSplit(saved));
  }, []);

  const commit = useCallback((v: number) => {
    const c = clampSplit(v);
    setSplit(c);
    localStorage.setItem(STORAGE_KEY, String(c));
    // xterm's fit addon listens to window resize; the pane width changed without one.
    window.dispatchEvent(new Event("resize"));
  }, []);

  const onPointerDown = (e: PointerEvent<HTMLDivElement>) => {
    dragging.current = true;
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!dragging.current || !root.current) return;
    const box = root.current.getBoundingClientRect();
    commit(((e.clientX - box.left) / box.width) * 100);
  };
  const onPointerUp = () => {
    dragging.current = false;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = e.shiftKey ? 10 : 2;
    if (e.key === "ArrowLeft") commit(split - step);
    else if (e.key === "ArrowRight") commit(split + step);
    else if (e.key === "Home") commit(MIN);
    else if (e.key === "End") commit(MAX);
    else return;
    e.preventDefault();
  };

  return (
    <div ref={root} className="course-split" style={{ ["--course-split" as string]: `${split}%` }}>
      <style>{`
        .course-split { display: grid; grid-template-columns: var(--course-split) 8px minmax(0, 1fr); height: calc(100vh - var(--course-header, 0px)); min-height: 0; }
        .course-split > .course-split-lesson { overflow: auto; min-width: 0; }
        .course-split > .course-split-workspace { display: flex; flex-direction: column; min-width: 0; min-height: 0; overflow: auto; }
        .course-split > [role="separator"] { cursor: col-resize; background: var(--course-border, #8884); touch-action: none; }
        .course-split > [role="separator"]:hover, .course-split > [role="separator"]:focus-visible { background: var(--course-accent, #2563eb); outline: none; }
        .course-skip { position: absolute; left: -10000px; top: auto; width: 1px; height: 1px; overflow: hidden; }
        .course-skip:focus { position: fixed; left: 8px; top: 8px; width: auto; height: auto; z-index: 100; padding: 6px 12px; background: #fff; color: #0550ae; border: 2px solid #0550ae; border-radius: 4px; }
        @media (max-width: 900px) {
          .course-split { display: block; height: auto; }
          .course-split > [role="separator"] { display: none; }
          .course-split > .course-split-workspace { min-height: 70vh; }
        }
      `}</style>
      {/* Keyboard users reach the terminal without tabbing through the whole lesson: straight into
          the active tab's input (xterm's textarea), so what they type next reaches the shell. The
          href stays as the fallback while no terminal is shown yet. */}
      <a className="course-skip" href="#course-terminal" onClick={skipToTerminal}>
        {t.skipToTerminal}
      </a>
      <div className="course-split-lesson">{lesson}</div>
      <div
        role="separator"
        tabIndex={0}
        aria-orientation="vertical"
        aria-label={t.splitLabel}
        aria-valuemin={MIN}
        aria-valuemax={MAX}
        aria-valuenow={split}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onKeyDown={onKeyDown}
      />
      <div className="course-split-workspace">{workspace}</div>
    </div>
  );
}

"use client";

import { useCallback, useEffect, useRef, useState, type KeyboardEvent, type MouseEvent, type PointerEvent, type ReactNode } from "react";
import { useTranslations } from "next-intl";
import { RUN_EVENT, on, type RunDetail } from "../exercises/events";

/**
 * Lesson text beside the terminal, with a draggable (and keyboard-resizable) separator; the split
 * is remembered per browser in localStorage. Below 900px (phones, small tablets) the panes take
 * turns: a Lesson/Terminal switch shows one at a time, and a "run in the terminal" click, or the
 * skip link, switches to the terminal (with a note of what was sent). Styles: globals.css (.course-split).
 */
export interface SplitLayoutProps {
  lesson: ReactNode;
  workspace: ReactNode;
  /** Initial share of the lesson pane, in percent. */
  initial?: number;
}

const MIN = 20;
const MAX = 80;
const STORAGE_KEY = "course:split";
const SENT_MS = 4000;
type View = "lesson" | "terminal";

export function clampSplit(v: number): number {
  return Math.min(MAX, Math.max(MIN, Math.round(v)));
}

function terminalInput(): HTMLElement | null {
  return document.querySelector<HTMLElement>("#course-terminal [role=tabpanel]:not([hidden]) textarea.xterm-helper-textarea");
}

export default function SplitLayout({ lesson, workspace, initial = 45 }: SplitLayoutProps) {
  const t = useTranslations("terminal");
  const tl = useTranslations("layout");
  const [split, setSplit] = useState(initial);
  const [view, setView] = useState<View>("lesson");
  const [sent, setSent] = useState("");
  const root = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  // On a narrow screen the terminal may be hidden: show it, then give its input the focus (a
  // hidden element cannot take it). On a wide screen this only moves the focus.
  // Switching panes changes the page's height, which loses the lesson's scroll position: keep it.
  const lessonScroll = useRef(0);
  const viewRef = useRef<View>("lesson");
  const showTerminal = useCallback(() => {
    if (viewRef.current === "lesson") lessonScroll.current = window.scrollY;
    viewRef.current = "terminal";
    setView("terminal");
    requestAnimationFrame(() => terminalInput()?.focus());
  }, []);
  const showLesson = () => {
    if (viewRef.current === "lesson") return;
    viewRef.current = "lesson";
    setView("lesson");
    requestAnimationFrame(() => window.scrollTo(0, lessonScroll.current));
  };

  // A command sent from the lesson: follow it to the terminal and say what was sent.
  useEffect(
    () =>
      on<RunDetail>(RUN_EVENT, ({ command }) => {
        if (typeof command !== "string") return;
        showTerminal();
        setSent(tl("sentToTerminal", { command: command.trim() }));
      }),
    [showTerminal, tl],
  );
  useEffect(() => {
    if (!sent) return;
    const timer = setTimeout(() => setSent(""), SENT_MS);
    return () => clearTimeout(timer);
  }, [sent]);

  const skipToTerminal = (e: MouseEvent<HTMLAnchorElement>) => {
    if (!terminalInput()) return; // no terminal yet: the href moves to its region
    e.preventDefault();
    showTerminal();
  };

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
    <div ref={root} className="course-split" data-view={view} style={{ ["--course-split" as string]: `${split}%` }}>
      {/* Keyboard users reach the terminal without tabbing through the whole lesson: straight into
          the active tab's input (xterm's textarea), so what they type next reaches the shell. The
          href stays as the fallback while no terminal is shown yet. */}
      <a className="course-skip" href="#course-terminal" onClick={skipToTerminal}>
        {t("skipToTerminal")}
      </a>
      <div className="course-switch" role="group" aria-label={tl("switchLabel")}>
        <button type="button" className="course-switch__btn" aria-pressed={view === "lesson"} onClick={showLesson}>
          {tl("lesson")}
        </button>
        <button type="button" className="course-switch__btn" aria-pressed={view === "terminal"} onClick={showTerminal}>
          {tl("terminal")}
        </button>
        <span className="course-switch__sent" role="status" aria-live="polite" data-testid="sent-to-terminal">
          {sent}
        </span>
      </div>
      <div className="course-split-lesson">{lesson}</div>
      <div
        role="separator"
        tabIndex={0}
        aria-orientation="vertical"
        aria-label={t("splitLabel")}
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

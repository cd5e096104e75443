"use client";

/**
 * The lesson page's small client-side event bus. Window CustomEvents keep the terminal, the code
 * blocks and the checklist independent of each other's React trees (they are mounted by different
 * server components).
 */

/** Dispatched by runnable code blocks; the terminal types `command + "\r"` into the active tab. */
export const RUN_EVENT = "course:run";
/** Dispatched by the terminal when the shell reports that a command ended (runner EVENT frame). */
export const COMMAND_FINISHED_EVENT = "course:command-finished";
/** Dispatched by the terminal after a reset or when a fresh sandbox replaced an expired one. */
export const SANDBOX_CHANGED_EVENT = "course:sandbox-changed";

/** Asked by the task panel: run the lesson's checks now, as the checklist's own button does. */
export const CHECK_REQUEST_EVENT = "course:check-request";
/** Asked by the task panel: open the next hint, or the solution, of one exercise. */
export const HELP_REQUEST_EVENT = "course:help-request";

export interface HelpRequestDetail {
  exerciseId: string;
  kind: "hint" | "solution";
}
export interface RunDetail {
  command: string;
}
export interface CommandFinishedDetail {
  exitCode: number | null;
  terminalId: string;
}
export interface SandboxChangedDetail {
  sandboxId: string;
  reason: "reset" | "expired" | "opened";
}

export function emit<T>(name: string, detail: T): void {
  window.dispatchEvent(new CustomEvent<T>(name, { detail }));
}

/** Subscribes to a course event; returns the unsubscribe function (use it as an effect cleanup). */
export function on<T>(name: string, listener: (detail: T) => void): () => void {
  const handler = (e: Event) => listener((e as CustomEvent<T>).detail);
  window.addEventListener(name, handler);
  return () => window.removeEventListener(name, handler);
}

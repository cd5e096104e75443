"use client";

import { useSyncExternalStore } from "react";
import type { ExerciseProgress } from "@/_lib/actions/sandbox";
import type { ChecklistExercise } from "./ExerciseChecklist";

/**
 * The lesson's exercises and progress as the checklist holds them, shared with the views beside
 * the terminal (task panel, pass announcement, completion) that live in other React trees. The
 * checklist stays the only owner (it runs the checks); the others read this snapshot and ask it to
 * act through the page's events (CHECK_REQUEST_EVENT, HELP_REQUEST_EVENT).
 */
export interface LessonSnapshot {
  lessonId: string;
  exercises: ChecklistExercise[];
  progress: Record<string, ExerciseProgress>;
  checking: boolean;
  /** The learner's earlier progress has been loaded: later passes are news (announced), not history. */
  loaded: boolean;
  /** Error or notice from the last check, already in the learner's words. */
  error: string | null;
}

let current: LessonSnapshot | null = null;
const listeners = new Set<() => void>();

export function publishLesson(s: LessonSnapshot | null): void {
  current = s;
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

/** The snapshot of `lessonId` (null while its checklist is not mounted). */
export function useLesson(lessonId: string): LessonSnapshot | null {
  const s = useSyncExternalStore(
    subscribe,
    () => current,
    () => null,
  );
  return s && s.lessonId === lessonId ? s : null;
}

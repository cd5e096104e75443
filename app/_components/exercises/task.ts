/**
 * Pure choices behind the task panel (no React, no I/O): which exercise is the current one, which
 * exercises a check just passed, and what the end of a lesson or of the course is.
 */

export interface TaskExercise {
  id: string;
}
export interface TaskProgress {
  passed: boolean;
}

/**
 * The exercise the task panel shows: the one the learner picked (if it still exists), else the
 * first not passed, in lesson order. null once every exercise passed (the lesson is complete) or
 * when the lesson has none.
 */
export function currentExercise<E extends TaskExercise>(
  exercises: readonly E[],
  progress: Readonly<Record<string, TaskProgress | undefined>>,
  picked?: string | null,
): E | null {
  if (picked) {
    const p = exercises.find((e) => e.id === picked);
    if (p) return p;
  }
  return exercises.find((e) => !progress[e.id]?.passed) ?? null;
}

/** Exercises passed in `after` that were not in `before`, in lesson order. */
export function newlyPassed<E extends TaskExercise>(
  exercises: readonly E[],
  before: Readonly<Record<string, TaskProgress | undefined>>,
  after: Readonly<Record<string, TaskProgress | undefined>>,
): E[] {
  return exercises.filter((e) => after[e.id]?.passed && !before[e.id]?.passed);
}

export interface CourseLesson {
  lessonId: string;
  done: boolean;
}

/**
 * What comes after a completed lesson: the next lesson in order when there is one; at the last
 * lesson, the course is complete when every lesson is done, else the lessons still open; "last"
 * while the server's record of the other lessons is unknown (null).
 */
export type AfterLesson =
  { kind: "next"; lessonId: string } | { kind: "course-complete" } | { kind: "lessons-left"; lessonIds: string[] } | { kind: "last" };

export function afterLesson(order: readonly string[], current: string, lessons: readonly CourseLesson[] | null): AfterLesson {
  const i = order.indexOf(current);
  if (i >= 0 && i < order.length - 1) return { kind: "next", lessonId: order[i + 1]! };
  if (lessons === null) return { kind: "last" };
  const done = new Set(lessons.filter((l) => l.done).map((l) => l.lessonId));
  done.add(current); // this page just saw it complete, whatever the server knew a moment ago
  const left = order.filter((id) => !done.has(id));
  return left.length ? { kind: "lessons-left", lessonIds: left } : { kind: "course-complete" };
}

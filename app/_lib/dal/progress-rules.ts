/**
 * Progress derived from records, as pure functions: an exercise is done once any Check of it
 * passed; a lesson is done when all its exercises are. Pure, so the course map and the tests agree.
 */
export interface LessonOutline {
  id: string;
  exerciseIds: readonly string[];
}

export interface LessonProgress {
  lessonId: string;
  passed: number;
  total: number;
  done: boolean;
}

export function lessonProgress(lesson: LessonOutline, passedIds: ReadonlySet<string> | readonly string[] | undefined): LessonProgress {
  const passed = new Set(passedIds ?? []);
  const count = lesson.exerciseIds.filter((id) => passed.has(id)).length;
  return { lessonId: lesson.id, passed: count, total: lesson.exerciseIds.length, done: count === lesson.exerciseIds.length };
}

export function courseProgress(
  lessons: readonly LessonOutline[],
  passedByLesson: Readonly<Record<string, readonly string[]>>,
): LessonProgress[] {
  return lessons.map((l) => lessonProgress(l, passedByLesson[l.id]));
}

/**
 * Where "continue where you left off" goes: the last lesson visited if it is not done yet, else
 * the first unfinished lesson after it (wrapping to the first unfinished one), else the last visited;
 * the first lesson for someone who has not started. Null only for an empty course.
 */
export function resumeLessonId(
  lessons: readonly LessonOutline[],
  progress: readonly LessonProgress[],
  lastVisitedLessonId: string | null,
): string | null {
  if (lessons.length === 0) return null;
  const done = new Map(progress.map((p) => [p.lessonId, p.done]));
  const start = lastVisitedLessonId ? lessons.findIndex((l) => l.id === lastVisitedLessonId) : -1;
  if (start < 0) return lessons.find((l) => !done.get(l.id))?.id ?? lessons[0]!.id;
  for (let i = 0; i < lessons.length; i++) {
    const lesson = lessons[(start + i) % lessons.length]!;
    if (!done.get(lesson.id)) return lesson.id;
  }
  return lastVisitedLessonId;
}

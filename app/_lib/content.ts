import { findLessonBySlug, loadCourse, type Course, type Lesson } from "@content/lib/load";
import type { Locale } from "@/_i18n/routing";
import { platformConfig } from "./config";
import type { LessonOutline } from "./dal/progress-rules";

/**
 * The course as the app sees it: H5's validated loader, loaded once per server process (content
 * is part of the build). COURSE_CONTENT_DIR points at another content folder (tests, previews).
 */
let course: Promise<Course> | undefined;

export function getCourse(): Promise<Course> {
  const dir = platformConfig().COURSE_CONTENT_DIR;
  course ??= loadCourse(dir ? { contentDir: dir } : {});
  return course;
}

export async function getLessonBySlug(locale: Locale, slug: string): Promise<Lesson | undefined> {
  return findLessonBySlug(await getCourse(), locale, slug);
}

export async function getLessonById(id: string): Promise<Lesson | undefined> {
  return (await getCourse()).lessons.find((l) => l.id === id);
}

export function outlines(c: Course): LessonOutline[] {
  return c.lessons.map((l) => ({ id: l.id, exerciseIds: l.exercises.map((e) => e.id) }));
}

export type { Course, Lesson };

// `npx tsx content/lib/validate-cli.ts [contentDir]`: validates the course for the build.
import { ContentError, loadCourse } from "./load";

async function main(): Promise<void> {
  try {
    const course = await loadCourse({ contentDir: process.argv[2] });
    const exercises = course.lessons.reduce((n, l) => n + l.exercises.length, 0);
    console.log(`OK: ${course.lessons.length} lessons, ${exercises} exercises, languages ${course.locales.join(", ")}`);
  } catch (err) {
    if (err instanceof ContentError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}
void main();

import type { CompileOptions } from "@mdx-js/mdx";

export type RemarkPlugins = NonNullable<CompileOptions["remarkPlugins"]>;

/**
 * The Markdown dialect of every lesson body: GitHub's (tables, strikethrough, autolinks, task
 * lists), the one course notes are written in. The app's render and the content check both compile
 * with it, so what the check accepts is what the page shows.
 */
export async function lessonRemarkPlugins(): Promise<RemarkPlugins> {
  // Dynamic import: remark-gfm is ESM-only and `npx tsx` runs this repo's .ts files as CommonJS.
  const { default: remarkGfm } = await import("remark-gfm");
  return [remarkGfm];
}

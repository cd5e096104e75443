import fs from "node:fs/promises";
import path from "node:path";
import type { DiagramName } from "@content/lib/components";
import type { Locale } from "@/_i18n/routing";

/**
 * One of the course's SVG diagrams, inlined so it follows the page's colours and its <title>/<desc>
 * reach screen readers. Looks for a per-language file first, then a shared one.
 */
export async function readDiagram(name: DiagramName, locale: Locale, contentDir: string): Promise<string | null> {
  const dir = path.join(/*turbopackIgnore: true*/ contentDir, "diagrams");
  for (const file of [`${name}.${locale}.svg`, path.join(name, `${locale}.svg`), `${name}.svg`]) {
    try {
      return await fs.readFile(/*turbopackIgnore: true*/ path.join(dir, file), "utf8");
    } catch {
      /* try the next naming */
    }
  }
  return null;
}

export default async function Diagram({ name, locale }: { name: DiagramName; locale: Locale }) {
  const contentDir = process.env.COURSE_CONTENT_DIR ?? path.join(process.cwd(), "content");
  const svg = await readDiagram(name, locale, contentDir);
  if (!svg) {
    return <p className="diagram diagram--missing">[diagram {name}]</p>;
  }
  // Trusted: the SVG is course content from the repository, validated at build time.
  return <figure className="diagram" dangerouslySetInnerHTML={{ __html: svg.replace(/<\?xml[^>]*>/, "") }} />;
}

import type { DiagramName } from "@content/lib/components";
import { CourseDiagram } from "@content/diagrams";
import type { Locale } from "@/_i18n/routing";

/**
 * One of the course's diagrams (H5's server components: accessible SVG with <title>/<desc>, drawn
 * in currentColor so it follows the light/dark theme), in the page's language.
 */
export default function Diagram({ name, locale }: { name: DiagramName; locale: Locale }) {
  return (
    <figure className="diagram">
      <CourseDiagram name={name} lang={locale} />
    </figure>
  );
}

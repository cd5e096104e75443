// `npx tsx content/diagrams/render-svg.tsx`: writes each diagram as a static <name>.<lang>.svg beside
// the components, for consumers that inline SVG files. diagrams.test.tsx fails when they are stale.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderDiagramSvg, svgFileName } from "./svg-files";
import { DIAGRAM_NAMES } from "../lib/components";
import { LOCALES } from "../lib/schema";

const dir = path.join(process.cwd(), "content", "diagrams");
for (const name of DIAGRAM_NAMES) {
  for (const lang of LOCALES) {
    writeFileSync(path.join(dir, svgFileName(name, lang)), renderDiagramSvg(name, lang));
  }
}
console.log(`wrote ${DIAGRAM_NAMES.length * LOCALES.length} SVG files to ${dir}`);

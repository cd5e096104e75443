// Each diagram renders as an accessible, localized SVG, and the static .svg copies are current.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGRAM_NAMES } from "../lib/components";
import { LOCALES } from "../lib/schema";
import { renderDiagramSvg, svgFileName } from "./svg-files";

describe("diagrams", () => {
  for (const name of DIAGRAM_NAMES) {
    it(`${name}: role=img with <title> and <desc> in each language`, () => {
      const [pt, en] = LOCALES.map((l) => renderDiagramSvg(name, l));
      for (const svg of [pt!, en!]) {
        expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="[^"]+-title [^"]+-desc"/);
        expect(svg).toMatch(/<title id="[^"]+">[^<]{10,}<\/title><desc id="[^"]+">[^<]{40,}<\/desc>/);
        expect(svg).toContain("<text");
      }
      expect(pt).not.toBe(en);
    });
    it(`${name}: the static SVG files match the components (run npx tsx content/diagrams/render-svg.tsx)`, () => {
      for (const l of LOCALES) {
        const file = path.join(process.cwd(), "content", "diagrams", svgFileName(name, l));
        expect(readFileSync(file, "utf8")).toBe(renderDiagramSvg(name, l));
      }
    });
  }
});

// Renders a diagram component to standalone SVG markup (used by render-svg.tsx and its test).
import { renderToStaticMarkup } from "react-dom/server";
import type { DiagramName } from "../lib/components";
import { DIAGRAMS, type DiagramLang } from "./index";

export function svgFileName(name: DiagramName, lang: DiagramLang): string {
  return `${name}.${lang}.svg`;
}

export function renderDiagramSvg(name: DiagramName, lang: DiagramLang): string {
  const D = DIAGRAMS[name];
  return renderToStaticMarkup(<D lang={lang} />) + "\n";
}

// The diagrams by name, for the app's <Diagram name="…" /> (server components, no client code).
import type { DiagramName } from "../lib/components";
import EngineParts from "./EngineParts";
import ImageRegistry from "./ImageRegistry";
import Layers from "./Layers";
import Namespaces from "./Namespaces";
import VmContainerChroot from "./VmContainerChroot";
import type { DiagramLang } from "./Svg";

export type { DiagramLang } from "./Svg";

export const DIAGRAMS: Record<DiagramName, (props: { lang: DiagramLang }) => React.JSX.Element> = {
  "vm-container-chroot": VmContainerChroot,
  layers: Layers,
  namespaces: Namespaces,
  "image-registry": ImageRegistry,
  "engine-parts": EngineParts,
};

/** `<CourseDiagram name="layers" lang="pt-BR" />`: renders the accessible SVG in the page's language. */
export function CourseDiagram({ name, lang }: { name: DiagramName; lang: DiagramLang }) {
  const D = DIAGRAMS[name];
  return <D lang={lang} />;
}

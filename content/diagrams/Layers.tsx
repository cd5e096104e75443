// The layer stack: read-only image layers at the bottom, the container's writable layer on top,
// the merged view the process sees.
import { Box, Caption, Svg, type DiagramLang } from "./Svg";

const L = {
  "pt-BR": {
    title: "Camadas de uma imagem e a camada gravável do container",
    desc: "Uma pilha de quatro camadas vista de cima para baixo. No topo, a camada gravável do container, criada quando ele inicia (upperdir do overlay), onde vão as escritas, o copy-up e os whiteouts. Abaixo, três camadas somente leitura da imagem: COPY app.sh, RUN apt-get install jq e FROM debian:bookworm (lowerdir). Acima de tudo, a visão combinada (merged) que o processo enxerga como /. Dois containers da mesma imagem compartilham as camadas somente leitura; cada um tem a sua camada gravável.",
    merged: "visão combinada: o / que o container vê (merged)",
    rw: "camada gravável do container (upperdir)",
    rwNote: "criada quando o container inicia · escritas, copy-up, whiteouts",
    l3: "COPY app.sh",
    l2: "RUN apt-get install -y jq",
    l1: "FROM debian:bookworm",
    ro: "camadas da imagem: somente leitura (lowerdir)",
    reuse: "compartilhadas por todos os containers desta imagem",
  },
  en: {
    title: "An image's layers and the container's writable layer",
    desc: "A stack of four layers, top to bottom. At the top, the container's writable layer, created when it starts (the overlay's upperdir), where writes, copy-ups and whiteouts go. Below, three read-only image layers: COPY app.sh, RUN apt-get install jq and FROM debian:bookworm (lowerdir). Above everything, the merged view the process sees as /. Two containers of the same image share the read-only layers; each has its own writable layer.",
    merged: "merged view: the / the container sees",
    rw: "container's writable layer (upperdir)",
    rwNote: "created when the container starts · writes, copy-ups, whiteouts",
    l3: "COPY app.sh",
    l2: "RUN apt-get install -y jq",
    l1: "FROM debian:bookworm",
    ro: "image layers: read-only (lowerdir)",
    reuse: "shared by every container of this image",
  },
};

export default function Layers({ lang }: { lang: DiagramLang }) {
  const t = L[lang];
  return (
    <Svg id={`layers-${lang}`} title={t.title} desc={t.desc} width={640} height={360}>
      <Box x={40} y={16} w={400} h={40} label={t.merged} tone="app" />
      <path d="M240 62 L240 78" stroke="currentColor" strokeWidth={1.5} />
      <Box x={40} y={84} w={400} h={52} label={t.rw} tone="rw" bold />
      <Caption x={240} y={154} text={t.rwNote} size={12} />
      <Box x={40} y={168} w={400} h={44} label={t.l3} tone="ro" />
      <Box x={40} y={218} w={400} h={44} label={t.l2} tone="ro" />
      <Box x={40} y={268} w={400} h={44} label={t.l1} tone="ro" />
      {/* brace for the read-only part */}
      <path
        d="M452 168 Q466 168 466 190 L466 230 Q466 240 478 240 Q466 240 466 250 L466 290 Q466 312 452 312"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.5}
      />
      <Caption x={486} y={232} text={lang === "en" ? "read-only" : "somente"} anchor="start" size={13} bold />
      <Caption x={486} y={250} text={lang === "en" ? "(lowerdir)" : "leitura"} anchor="start" size={13} bold />
      <Caption x={486} y={116} text={lang === "en" ? "writable" : "gravável"} anchor="start" size={13} bold />
      <Caption x={240} y={336} text={t.ro} size={12} />
      <Caption x={240} y={354} text={t.reuse} size={12} />
    </Svg>
  );
}

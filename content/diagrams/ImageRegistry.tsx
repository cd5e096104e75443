// Build → registry → repository → tags → manifest digest → layers.
import { Box, Caption, Svg, type DiagramLang } from "./Svg";

const L = {
  "pt-BR": {
    title: "Do build ao registro: repositórios, tags e digests",
    desc: "Um descritor (Dockerfile) passa pelo build e gera uma imagem. A imagem é enviada a um registro, como o Docker Hub. No registro, o repositório nginx tem várias tags: 1.27, 1.27-alpine e latest. Cada tag aponta para um manifesto identificado por um digest sha256; latest e 1.27 apontam para o mesmo manifesto. O manifesto lista a configuração e as camadas.",
    desc_: "Dockerfile (descritor)",
    build: "build",
    registry: "Registro (ex.: Docker Hub)",
    repo: "repositório: nginx",
    manifest: "manifesto",
    layers: "config + camadas",
    same: "mesmo digest",
  },
  en: {
    title: "From build to registry: repositories, tags and digests",
    desc: "A descriptor (Dockerfile) goes through the build and yields an image. The image is pushed to a registry, such as Docker Hub. In the registry, the nginx repository has several tags: 1.27, 1.27-alpine and latest. Each tag points at a manifest identified by a sha256 digest; latest and 1.27 point at the same manifest. The manifest lists the config and the layers.",
    desc_: "Dockerfile (descriptor)",
    build: "build",
    registry: "Registry (e.g. Docker Hub)",
    repo: "repository: nginx",
    manifest: "manifest",
    layers: "config + layers",
    same: "same digest",
  },
};

export default function ImageRegistry({ lang }: { lang: DiagramLang }) {
  const t = L[lang];
  const arrow = (x1: number, y1: number, x2: number, y2: number) => (
    <g stroke="currentColor" strokeWidth={1.5} fill="none">
      <path d={`M${x1} ${y1} L${x2} ${y2}`} />
      <path d={`M${x2 - 7} ${y2 - 5} L${x2} ${y2} L${x2 - 7} ${y2 + 5}`} />
    </g>
  );
  return (
    <Svg id={`image-registry-${lang}`} title={t.title} desc={t.desc} width={700} height={300}>
      <Box x={10} y={120} w={150} h={48} label={t.desc_} tone="plain" />
      {arrow(160, 144, 200, 144)}
      <Caption x={180} y={134} text={t.build} size={12} />
      <rect x={206} y={20} width={484} height={270} rx={10} fill="none" stroke="currentColor" strokeWidth={2} />
      <Caption x={448} y={42} text={t.registry} bold />
      <rect x={220} y={56} width={456} height={222} rx={8} fill="none" stroke="currentColor" strokeDasharray="6 4" />
      <Caption x={300} y={76} text={t.repo} size={13} />
      <Box x={236} y={92} w={120} h={36} label=":1.27" tone="app" />
      <Box x={236} y={146} w={120} h={36} label=":latest" tone="app" />
      <Box x={236} y={200} w={120} h={36} label=":1.27-alpine" tone="app" />
      {arrow(356, 110, 420, 128)}
      {arrow(356, 164, 420, 144)}
      {arrow(356, 218, 420, 218)}
      <Caption x={388} y={190} text={t.same} size={11} />
      <Box x={426} y={112} w={236} h={44} label={`${t.manifest} sha256:3f1a…`} tone="ro" />
      <Box x={426} y={198} w={236} h={44} label={`${t.manifest} sha256:9c0e…`} tone="ro" />
      <Caption x={544} y={176} text={t.layers} size={12} />
      <Caption x={544} y={262} text={t.layers} size={12} />
    </Svg>
  );
}

// CLI → engine → runtime → kernel: who does what when you type `docker run`, and the same parts in
// this course's sandbox (podman, daemonless) beside Docker's (dockerd + containerd).
import { Box, Caption, Svg, type DiagramLang } from "./Svg";

const L = {
  "pt-BR": {
    title: "As peças de uma engine de containers: CLI, engine, runtime, kernel",
    desc: "Quando você digita docker run, o comando docker (a CLI) pede à engine. No Docker, a engine é o daemon dockerd, que passa o pedido ao containerd; no sandbox deste curso, o podman faz o papel da engine sem daemon. A engine prepara a imagem (camadas, overlay) e um bundle OCI, e chama o runtime, runc ou crun, que pede ao kernel os namespaces, os cgroups e a raiz nova, e inicia o processo. Quem isola e limita é sempre o kernel do host.",
    cli: "CLI: docker",
    docker: "Docker",
    course: "sandbox do curso",
    dockerd: "dockerd (daemon)",
    containerd: "containerd",
    podman: "podman (sem daemon)",
    storage: "imagens, camadas, overlay",
    runtime: "runtime OCI: runc / crun",
    kernel: "kernel do host: namespaces, cgroups, overlayfs, seccomp",
  },
  en: {
    title: "The parts of a container engine: CLI, engine, runtime, kernel",
    desc: "When you type docker run, the docker command (the CLI) asks the engine. In Docker, the engine is the dockerd daemon, which hands the request to containerd; in this course's sandbox, podman plays the engine without a daemon. The engine prepares the image (layers, overlay) and an OCI bundle, and calls the runtime, runc or crun, which asks the kernel for the namespaces, the cgroups and the new root, and starts the process. What isolates and limits is always the host's kernel.",
    cli: "CLI: docker",
    docker: "Docker",
    course: "the course's sandbox",
    dockerd: "dockerd (daemon)",
    containerd: "containerd",
    podman: "podman (no daemon)",
    storage: "images, layers, overlay",
    runtime: "OCI runtime: runc / crun",
    kernel: "host kernel: namespaces, cgroups, overlayfs, seccomp",
  },
};

export default function EngineParts({ lang }: { lang: DiagramLang }) {
  const t = L[lang];
  const down = (x: number, y1: number, y2: number) => (
    <g stroke="currentColor" strokeWidth={1.5} fill="none">
      <path d={`M${x} ${y1} L${x} ${y2}`} />
      <path d={`M${x - 5} ${y2 - 7} L${x} ${y2} L${x + 5} ${y2 - 7}`} />
    </g>
  );
  return (
    <Svg id={`engine-parts-${lang}`} title={t.title} desc={t.desc} width={700} height={340}>
      <Box x={230} y={10} w={240} h={40} label={t.cli} tone="app" />
      {down(230, 50, 92)}
      {down(470, 50, 92)}
      <Caption x={150} y={84} text={t.docker} bold />
      <Caption x={550} y={84} text={t.course} bold />
      <Box x={60} y={96} w={240} h={38} label={t.dockerd} tone="os" />
      {down(180, 134, 150)}
      <Box x={60} y={152} w={240} h={38} label={t.containerd} tone="os" />
      <Box x={400} y={96} w={240} h={94} label={t.podman} tone="os" />
      <Caption x={350} y={214} text={t.storage} size={12} />
      {down(180, 190, 232)}
      {down(520, 190, 232)}
      <Box x={130} y={234} w={440} h={38} label={t.runtime} tone="ro" />
      {down(350, 272, 290)}
      <Box x={10} y={292} w={680} h={40} label={t.kernel} tone="kernel" />
    </Svg>
  );
}

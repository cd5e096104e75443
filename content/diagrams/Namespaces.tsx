// One kernel, two containers: each with its own set of namespaces and its own cgroup limits.
import { Box, Caption, Svg, type DiagramLang } from "./Svg";

const L = {
  "pt-BR": {
    title: "Namespaces e cgroups: um kernel, visões isoladas",
    desc: "Dois containers, A e B, sobre um único kernel Linux. Cada container tem os seus próprios namespaces: pid (o seu PID 1), net (só a sua rede), mnt (os seus arquivos), uts (o seu hostname), ipc e user. Cada um também tem um cgroup que limita memória, CPU e número de processos. Os namespaces isolam o que o processo vê; os cgroups controlam quanto ele usa.",
    a: "Container A",
    b: "Container B",
    kernel: "Um só kernel Linux (compartilhado)",
    pid: "pid: PID 1 próprio",
    net: "net: só lo",
    mnt: "mnt: seus arquivos",
    uts: "uts: seu hostname",
    user: "user: root só aqui",
    cg: "cgroup: memória, CPU, processos",
    see: "namespaces = o que vê",
    use: "cgroups = quanto usa",
  },
  en: {
    title: "Namespaces and cgroups: one kernel, isolated views",
    desc: "Two containers, A and B, on a single Linux kernel. Each container has its own namespaces: pid (its own PID 1), net (only its own network), mnt (its own files), uts (its own host name), ipc and user. Each also has a cgroup limiting memory, CPU and number of processes. Namespaces isolate what a process sees; cgroups control how much it uses.",
    a: "Container A",
    b: "Container B",
    kernel: "One Linux kernel (shared)",
    pid: "pid: own PID 1",
    net: "net: only lo",
    mnt: "mnt: own files",
    uts: "uts: own host name",
    user: "user: root only here",
    cg: "cgroup: memory, CPU, processes",
    see: "namespaces = what it sees",
    use: "cgroups = how much it uses",
  },
};

export default function Namespaces({ lang }: { lang: DiagramLang }) {
  const t = L[lang];
  const container = (x: number, name: string) => (
    <g>
      <rect x={x} y={20} width={280} height={270} rx={10} fill="none" stroke="currentColor" strokeWidth={2} />
      <Caption x={x + 140} y={42} text={name} bold />
      {[t.pid, t.net, t.mnt, t.uts, t.user].map((label, i) => (
        <Box key={label} x={x + 16} y={54 + i * 38} w={248} h={32} label={label} tone="os" />
      ))}
      <Box x={x + 16} y={248} w={248} h={32} label={t.cg} tone="rw" />
    </g>
  );
  return (
    <Svg id={`namespaces-${lang}`} title={t.title} desc={t.desc} width={640} height={400}>
      {container(20, t.a)}
      {container(340, t.b)}
      <Box x={20} y={304} w={600} h={44} label={t.kernel} tone="kernel" bold />
      <Caption x={170} y={378} text={t.see} size={13} />
      <Caption x={470} y={378} text={t.use} size={13} />
    </Svg>
  );
}

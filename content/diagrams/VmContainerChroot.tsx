// VM vs container vs chroot: three stacks side by side, showing where the kernel sits in each.
import { Box, Caption, Svg, type DiagramLang } from "./Svg";

const L = {
  "pt-BR": {
    title: "VM, container e chroot lado a lado",
    desc: "Três pilhas. Máquina virtual: hardware, kernel do host, hipervisor e, dentro da VM, um kernel convidado próprio, bibliotecas e a aplicação. Container: hardware, o kernel do host compartilhado, e por cima o container com bibliotecas e aplicação, isolado por namespaces e limitado por cgroups. chroot: hardware, kernel do host, e um processo com apenas uma raiz de arquivos diferente, sem outro isolamento.",
    vm: "Máquina virtual",
    ct: "Container",
    ch: "chroot",
    hw: "Hardware",
    hk: "Kernel do host",
    hyp: "Hipervisor",
    guest: "Kernel convidado",
    libs: "Binários e bibliotecas",
    app: "Aplicação",
    ns: "namespaces + cgroups",
    root: "só outra raiz (/)",
    proc: "processo",
    more: "mais isolamento",
    less: "mais leve",
  },
  en: {
    title: "VM, container and chroot side by side",
    desc: "Three stacks. Virtual machine: hardware, host kernel, hypervisor and, inside the VM, its own guest kernel, libraries and the application. Container: hardware, the shared host kernel, and on top the container with libraries and application, isolated by namespaces and limited by cgroups. chroot: hardware, host kernel, and a process with only a different filesystem root, no other isolation.",
    vm: "Virtual machine",
    ct: "Container",
    ch: "chroot",
    hw: "Hardware",
    hk: "Host kernel",
    hyp: "Hypervisor",
    guest: "Guest kernel",
    libs: "Binaries and libraries",
    app: "Application",
    ns: "namespaces + cgroups",
    root: "only another root (/)",
    proc: "process",
    more: "more isolation",
    less: "lighter",
  },
};

export default function VmContainerChroot({ lang }: { lang: DiagramLang }) {
  const t = L[lang];
  const col = (x: number) => ({ x, w: 200 });
  const vm = col(20),
    ct = col(250),
    ch = col(480);
  return (
    <Svg id={`vm-container-chroot-${lang}`} title={t.title} desc={t.desc} width={700} height={380}>
      <Caption x={vm.x + 100} y={24} text={t.vm} bold />
      <Caption x={ct.x + 100} y={24} text={t.ct} bold />
      <Caption x={ch.x + 100} y={24} text={t.ch} bold />
      {/* VM: the whole guest OS, kernel included, sits inside the dashed VM boundary */}
      <rect x={vm.x - 6} y={36} width={212} height={170} rx={8} fill="none" stroke="currentColor" strokeDasharray="6 4" />
      <Box x={vm.x} y={44} w={200} h={44} label={t.app} tone="app" />
      <Box x={vm.x} y={96} w={200} h={44} label={t.libs} tone="os" />
      <Box x={vm.x} y={148} w={200} h={50} label={t.guest} tone="kernel" bold />
      <Box x={vm.x} y={214} w={200} h={40} label={t.hyp} />
      <Box x={vm.x} y={262} w={200} h={44} label={t.hk} tone="kernel" />
      <Box x={vm.x} y={314} w={200} h={40} label={t.hw} />
      {/* Container: isolated process with its own files, on the shared host kernel */}
      <rect x={ct.x - 6} y={118} width={212} height={136} rx={8} fill="none" stroke="currentColor" strokeDasharray="6 4" />
      <Caption x={ct.x + 100} y={112} text={t.ns} size={12} />
      <Box x={ct.x} y={126} w={200} h={56} label={t.app} tone="app" />
      <Box x={ct.x} y={190} w={200} h={56} label={t.libs} tone="os" />
      <Box x={ct.x} y={262} w={200} h={44} label={t.hk} tone="kernel" bold />
      <Box x={ct.x} y={314} w={200} h={40} label={t.hw} />
      {/* chroot: an ordinary process that only sees another root */}
      <Box x={ch.x} y={150} w={200} h={44} label={t.proc} tone="app" />
      <Box x={ch.x} y={202} w={200} h={44} label={t.root} tone="plain" dashed />
      <Box x={ch.x} y={262} w={200} h={44} label={t.hk} tone="kernel" bold />
      <Box x={ch.x} y={314} w={200} h={40} label={t.hw} />
      {/* the spectrum: VM ← more isolation · lighter → chroot */}
      <Caption x={20} y={374} text={`← ${t.more}`} anchor="start" size={12} />
      <Caption x={680} y={374} text={`${t.less} →`} anchor="end" size={12} />
    </Svg>
  );
}

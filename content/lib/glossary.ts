/**
 * The exercises' files and folders keep their Portuguese names in every language (the check
 * scripts read them), so English texts gloss each Portuguese word of a path once, under the goal.
 * A path word that is neither glossed nor plain English/Unix fails the content check, so a new
 * exercise cannot leave an English learner guessing what `/root/prisao` means.
 */
export const PATH_GLOSSARY: Readonly<Record<string, string>> = {
  respostas: "answers",
  prisao: "jail",
  caixa: "box",
  camada: "layer",
  camadas: "layers",
  exercicios: "exercises",
  segredo: "secret",
  nome: "name",
  resultado: "result",
  dentro: "inside",
  velha: "old",
  arquivo: "file",
  mensagem: "message",
  dados: "data",
  tamanho: "size",
  temporario: "temporary",
  manifesto: "manifest",
  memoria: "memory",
  binarios: "binaries",
  bibliotecas: "libraries",
  verificar: "verify",
  novo: "new",
  em: "in",
  e: "and",
  ola: "hello",
  antigo: "old",
  comum: "common",
  nota: "note",
  no: "in the",
};

/** Path words an English reader needs no gloss for: English words, Unix names, units, extensions. */
const PLAIN = new Set(
  (
    "root proc oci blobs sha256 index bin sh busybox usr lib libjq etc dev sys fs cgroup memory self ns net pid pid1 uts " +
    "mini app base merged upper rw work kernel interfaces hostname whiteout diffid status tag config jq null container " +
    "chroot mib max limit bytes in txt json so x86 64 linux gnu zero oom control events random boot id pids dockerfile digest localhost v2 manifests a b vi tar tmp r"
  ).split(" "),
);

/** The words of every absolute path written in a text (in or out of backticks), lower-cased. */
export function pathWords(text: string): string[] {
  const words: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s`'"(=:>])(\/[A-Za-z0-9_./-]+)/g)) {
    for (const w of m[1]!.toLowerCase().split(/[/._-]+/)) if (w !== "" && !/^\d+$/.test(w)) words.push(w);
  }
  return words;
}

/** The glosses a text needs, in first-use order: [Portuguese word, English]. */
export function glossesFor(text: string): [string, string][] {
  const seen = new Map<string, string>();
  for (const w of pathWords(text)) if (PATH_GLOSSARY[w] && !seen.has(w)) seen.set(w, PATH_GLOSSARY[w]);
  return [...seen];
}

/** Path words that are neither glossed nor plain: the content check reports them. */
export function unglossedWords(text: string): string[] {
  return [...new Set(pathWords(text).filter((w) => !PATH_GLOSSARY[w] && !PLAIN.has(w)))];
}

/** The line added under an English goal: "Portuguese names here: `respostas` = answers; …". */
export function glossLine(text: string): string | null {
  const g = glossesFor(text);
  return g.length === 0 ? null : `Portuguese names here: ${g.map(([pt, en]) => `\`${pt}\` = ${en}`).join("; ")}.`;
}

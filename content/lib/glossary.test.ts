import { describe, expect, it } from "vitest";
import { glossLine, glossesFor, pathWords, unglossedWords } from "./glossary";

describe("path glossary", () => {
  it("finds the words of absolute paths, in or out of backticks, not of prose", () => {
    expect(pathWords("Write it into `/root/respostas/kernel.txt` then run (cd /root/prisao && ls)")).toEqual([
      "root",
      "respostas",
      "kernel",
      "txt",
      "root",
      "prisao",
    ]);
    expect(pathWords("answers and/or jail")).toEqual([]);
  });

  it("glosses each Portuguese word once, in order of first use", () => {
    expect(glossesFor("`/root/prisao/bin` and `/root/respostas/a.txt`, again `/root/prisao`")).toEqual([
      ["prisao", "jail"],
      ["respostas", "answers"],
    ]);
    expect(glossLine("`/root/exercicios/hostname-em-novo-uts/nome.txt`")).toBe(
      "Portuguese names here: `exercicios` = exercises; `em` = in; `novo` = new; `nome` = name.",
    );
    expect(glossLine("`/proc/self/ns/uts`")).toBeNull();
  });

  it("reports a path word that is neither glossed nor plain", () => {
    expect(unglossedWords("`/root/gaveta/coisa.txt` and `/root/respostas/x`")).toEqual(["gaveta", "coisa", "x"]);
  });
});

import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import en from "./messages/en.json";
import ptBR from "./messages/pt-BR.json";

/** Every key path of a message catalogue ("terminal.status.connected", …). */
function keys(o: unknown, prefix = ""): string[] {
  if (typeof o !== "object" || o === null) return [prefix];
  return Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("the message catalogue", () => {
  it("has the same sentences in both languages (one home for the UI's words)", () => {
    expect(keys(ptBR).sort()).toEqual(keys(en).sort());
  });
  it("has no empty sentence", () => {
    for (const cat of [en, ptBR])
      for (const k of keys(cat)) expect(k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], cat)).not.toBe("");
  });
});

/** Source files under a folder of the app (recursively), with their text. */
function sources(dir: string, ext: RegExp): { file: string; text: string }[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => ext.test(f))
    .map((f) => ({ file: path.join(dir, f), text: fs.readFileSync(path.join(dir, f), "utf8") }));
}

describe("one home for words and styles", () => {
  const app = path.join(__dirname, "..");
  it("keeps no component-local string tables and no server-side sentence tables", () => {
    expect(sources(path.join(app, "_components"), /(^|\/)strings\.ts$/).map((s) => s.file)).toEqual([]);
    const runner = fs.readFileSync(path.join(app, "_lib/runner.ts"), "utf8");
    // (checkMessage's stand-ins for a silent Check are stored with the attempt, as a Check's own words are.)
    expect(runner).not.toMatch(/MESSAGES|progresso está salvo|progress is saved/);
    for (const ns of ["terminal", "exercises", "sandboxErrors", "task", "layout"]) expect(Object.keys(en)).toContain(ns);
  });
  it("styles the terminal and exercise components from the stylesheet: no inline styles, no colours in code", () => {
    const files = [
      ...sources(path.join(app, "_components/terminal"), /\.tsx$/),
      ...sources(path.join(app, "_components/exercises"), /\.tsx$/),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const { file, text } of files) {
      // The split's width is the one value that must be live: a CSS variable, set from state.
      const inline = text.match(/style=\{\{[^}]*\}\}/g)?.filter((s) => !/^style=\{\{ \["--course-split"/.test(s)) ?? [];
      expect(inline, file).toEqual([]);
      expect(text.match(/<style[ >]/g) ?? [], file).toEqual([]);
      expect(text.match(/["'`]#[0-9a-fA-F]{3,8}\b/g) ?? [], file).toEqual([]);
    }
  });
});

/**
 * The sandbox's shell speaks the page's language, in a real sandbox of the course Image: the
 * welcome text and the `curso` command follow /etc/curso/lang, which the app rewrites whenever the
 * learner opens the sandbox from a page (app/_lib/actions/sandbox.ts ensureLanguage), also after a
 * language switch, when the first shell still carries the CURSO_LANG it was started with.
 */
import { StringDecoder } from "node:string_decoder";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SandboxManager, type SandboxImage } from "../sandbox/manager";
import type { PtyLike } from "../terminal/terminal";
import { testConfig, testImage, testLogger } from "../../test/image-fixture";

// Saved work on (as by default): the welcome says the files come back.
const cfg = testConfig({ SAVED_WORK_MAX_MB_PER_LEARNER: "8" });
let image: SandboxImage;
let m: SandboxManager;

beforeAll(async () => {
  image = await testImage(cfg);
  m = new SandboxManager(cfg, image, testLogger());
  await m.init();
});
afterAll(async () => {
  await m?.shutdown();
});

/** A terminal's output as text, and a way to wait for a pattern in what came after a point. */
function screen(term: PtyLike) {
  let out = "";
  // One decoder for the stream: a chunk may end in the middle of a UTF-8 sequence ("→").
  const utf8 = new StringDecoder("utf8");
  term.onData((d) => (out += typeof d === "string" ? d : utf8.write(d)));
  return {
    get text() {
      return out;
    },
    mark: () => out.length,
    async waitFor(re: RegExp, from = 0, ms = 30_000): Promise<string> {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        const m = re.exec(out.slice(from));
        if (m) return out.slice(from);
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`terminal never showed ${re}; it showed:\n${out.slice(from)}`);
    },
  };
}

/** Runs `curso` in the terminal and returns what it printed (up to an end marker). */
async function runCurso(term: PtyLike, s: ReturnType<typeof screen>, tag: string): Promise<string> {
  const from = s.mark();
  term.write(`curso; echo END-${tag}-$((1+1))\r`);
  const out = await s.waitFor(new RegExp(`END-${tag}-2`), from);
  return out.slice(0, out.lastIndexOf(`END-${tag}-2`));
}

const setLang = async (id: string, lang: string) => {
  const r = await m.exec(id, `printf '%s\\n' ${lang} > /etc/curso/lang`);
  expect(r.exitCode).toBe(0);
};

describe("the shell's language", () => {
  it("an English sandbox greets with the English site's name and `curso` answers in English", async () => {
    const sb = await m.create("lang-en", { lang: "en" });
    await setLang(sb.id, "en");
    const term = await m.spawnTerminal(sb.id, { cols: 120, rows: 40 });
    const s = screen(term);
    term.write("echo READY-$((2+3))\r");
    const welcome = await s.waitFor(/READY-5/);
    expect(welcome).toContain("Welcome to Learning Docker!");
    expect(welcome).not.toContain("Aprendendo Docker");
    // Saved work brings the files back when a sandbox ends: the welcome must not say they are lost.
    expect(welcome).toMatch(/When the sandbox ends, your files are kept and come back next time/);
    expect(welcome).not.toMatch(/goes away at the end|discarded|^kept:/m);
    const out = await runCurso(term, s, "en");
    expect(out).toMatch(/Image: +\S+/);
    expect(out).toContain("Layers (bottom → top):");
    expect(out).toContain("History:");
    expect(out).not.toMatch(/Imagem|Camadas|Histórico/);
    term.kill();
    await m.destroy(sb.id);
  });

  it("after a switch of the page's language, `curso` and new shells follow it, also in the shell started before", async () => {
    // Opened from the Portuguese site: the first shell was started with CURSO_LANG=pt-BR.
    const sb = await m.create("lang-switch", { lang: "pt-BR" });
    await setLang(sb.id, "pt-BR");
    const first = await m.spawnTerminal(sb.id, { cols: 120, rows: 40 });
    const s1 = screen(first);
    const welcome = await s1.waitFor(/Bem-vindo ao Aprendendo Docker!/);
    expect(welcome).not.toContain("Learning Docker");
    await s1.waitFor(/Para começar:/); // the whole welcome is there
    expect(s1.text).toMatch(/Quando o sandbox termina, os seus arquivos ficam guardados e voltam\s+na próxima vez/);
    expect(s1.text).not.toMatch(/descartado|^(kept|discarded):/m);
    expect(await runCurso(first, s1, "pt")).toContain("Camadas (de baixo para cima):");

    // The learner switches to the English site: the app writes the new language.
    await setLang(sb.id, "en");
    const en = await runCurso(first, s1, "switched");
    expect(en).toContain("Layers (bottom → top):");
    expect(en).not.toContain("Camadas");

    const second = await m.spawnTerminal(sb.id, { cols: 120, rows: 40 });
    const s2 = screen(second);
    second.write("echo READY-$((3+4))\r");
    expect(await s2.waitFor(/READY-7/)).toContain("Welcome to Learning Docker!");
    expect(await runCurso(second, s2, "second")).toContain("Layers (bottom → top):");

    // And back to Portuguese.
    await setLang(sb.id, "pt-BR");
    expect(await runCurso(first, s1, "back")).toContain("Camadas (de baixo para cima):");
    first.kill();
    second.kill();
    await m.destroy(sb.id);
  });

  it("with saved work off, the welcome says the files are discarded (in both languages), not kept", async () => {
    const sb = await m.create("lang-nosave", { lang: "en" });
    // The runner sets CURSO_SAVED_WORK=0 when SAVED_WORK_MAX_MB_PER_LEARNER is 0 (bundle.ts shellVars).
    const welcome = (lang: string) =>
      m.exec(sb.id, `printf '%s\\n' ${lang} > /etc/curso/lang; CURSO_SAVED_WORK=0 sh -ic '. /etc/profile.d/curso-welcome.sh' 2>/dev/null`);
    const en = (await welcome("en")).output;
    expect(en).toMatch(/When the sandbox ends, its files are discarded: the next one starts\s+from scratch/);
    expect(en).not.toMatch(/are kept|^(kept|discarded):/m);
    const pt = (await welcome("pt-BR")).output;
    expect(pt).toMatch(/Quando o sandbox termina, os arquivos dele são descartados/);
    expect(pt).not.toMatch(/ficam guardados|^(kept|discarded):/m);
    await m.destroy(sb.id);
  });
});

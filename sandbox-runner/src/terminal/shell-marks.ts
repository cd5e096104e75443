/**
 * Streaming parser for the shell-integration marks the sandbox's bash prints (OSC 133, the
 * FinalTerm/VS Code convention): `ESC ] 133 ; A BEL` = prompt starts, `ESC ] 133 ; D ; <exit> BEL`
 * = the last command finished with that status. Marks may be split across PTY chunks, so the parser
 * keeps a little state between calls. Pure; the OSC buffer is bounded so junk cannot grow memory.
 */

export type ShellMark = { type: "prompt" } | { type: "command-finished"; exitCode: number | null };

const ESC = "\x1b";
const BEL = "\x07";
const MAX_OSC = 256;

const enum S {
  Text,
  Esc,
  Osc,
  OscEsc,
}

export class ShellMarkParser {
  private state: S = S.Text;
  private osc = "";
  private oscTooLong = false;

  /** Not inside an escape sequence: a chunk with no ESC can be skipped. */
  get idle(): boolean {
    return this.state === S.Text;
  }

  push(chunk: string): ShellMark[] {
    // Fast path: most output has no escape at all.
    if (this.state === S.Text && !chunk.includes(ESC)) return [];
    const marks: ShellMark[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!;
      switch (this.state) {
        case S.Text:
          if (ch === ESC) this.state = S.Esc;
          break;
        case S.Esc:
          if (ch === "]") {
            this.state = S.Osc;
            this.osc = "";
            this.oscTooLong = false;
          } else this.state = ch === ESC ? S.Esc : S.Text;
          break;
        case S.Osc:
          if (ch === BEL) this.finish(marks);
          else if (ch === ESC) this.state = S.OscEsc;
          else if (this.osc.length < MAX_OSC) this.osc += ch;
          else this.oscTooLong = true;
          break;
        case S.OscEsc:
          if (ch === "\\") this.finish(marks);
          else {
            // ESC inside an OSC that is not ST aborts the OSC; the ESC starts a new sequence.
            this.state = S.Esc;
            i--;
          }
          break;
      }
    }
    return marks;
  }

  private finish(marks: ShellMark[]): void {
    this.state = S.Text;
    if (this.oscTooLong) return;
    const m = parseOsc(this.osc);
    if (m) marks.push(m);
  }
}

function parseOsc(body: string): ShellMark | null {
  if (!body.startsWith("133;")) return null;
  const parts = body.slice(4).split(";");
  if (parts[0] === "A") return { type: "prompt" };
  if (parts[0] === "D") {
    const raw = parts[1];
    if (raw === undefined || raw === "") return { type: "command-finished", exitCode: null };
    const n = /^-?\d{1,10}$/.test(raw) ? Number(raw) : NaN;
    return { type: "command-finished", exitCode: Number.isFinite(n) ? n : null };
  }
  return null;
}

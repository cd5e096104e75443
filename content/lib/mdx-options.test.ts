// The lessons' Markdown dialect: GitHub tables become real tables, and the content check sees them.
import { evaluate } from "@mdx-js/mdx";
import { createElement } from "react";
import * as runtime from "react/jsx-runtime";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { checkMdx } from "./mdx-check";
import { lessonRemarkPlugins } from "./mdx-options";

const TABLE = ["Antes da tabela:", "", "| namespace | isola |", "|---|---|", "| `pid` | os processos |", "| `net` | a rede |", ""].join(
  "\n",
);

async function html(source: string): Promise<string> {
  const { default: Body } = await evaluate(source, { ...runtime, development: false, remarkPlugins: await lessonRemarkPlugins() });
  return renderToStaticMarkup(createElement(Body));
}

describe("lesson Markdown (GFM)", () => {
  it("renders a pipe table as a table with a header row, not as text", async () => {
    const out = await html(TABLE);
    expect(out).toContain("<table>");
    expect(out).toMatch(/<thead><tr><th>namespace<\/th><th>isola<\/th><\/tr><\/thead>/);
    expect(out).toContain("<td><code>pid</code></td><td>os processos</td>");
    expect(out).not.toContain("|---|");
  });

  it("the content check compiles with the same dialect: a component inside a table cell is still checked", async () => {
    const ok = await checkMdx(TABLE);
    expect(ok.problems).toEqual([]);
    const bad = await checkMdx(TABLE.replace("a rede", "<HostKernal />"));
    expect(bad.problems.map((p) => p.message).join("\n")).toMatch(/unknown component <HostKernal>/);
  });
});

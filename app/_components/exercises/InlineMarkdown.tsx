"use client";

import { Fragment } from "react";

/**
 * The little Markdown exercise texts use inline: `code` and **bold**. Anything else stays text
 * (never HTML: these strings are rendered as React text nodes).
 */
export function splitInline(text: string): { kind: "text" | "code" | "bold"; value: string }[] {
  const out: { kind: "text" | "code" | "bold"; value: string }[] = [];
  const re = /`([^`]+)`|\*\*([^*]+)\*\*/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ kind: "text", value: text.slice(last, m.index) });
    out.push(m[1] !== undefined ? { kind: "code", value: m[1] } : { kind: "bold", value: m[2]! });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: "text", value: text.slice(last) });
  return out;
}

export default function InlineMarkdown({ text }: { text: string }) {
  return (
    <>
      {splitInline(text).map((p, i) =>
        p.kind === "code" ? (
          <code key={i}>{p.value}</code>
        ) : p.kind === "bold" ? (
          <strong key={i}>{p.value}</strong>
        ) : (
          <Fragment key={i}>{p.value}</Fragment>
        ),
      )}
    </>
  );
}

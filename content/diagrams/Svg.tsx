// Shared frame for the course diagrams: an accessible <svg> (role="img", <title>, <desc>) whose
// strokes and text follow the page's colour (currentColor).
import type { ReactNode } from "react";

export type DiagramLang = "pt-BR" | "en";

export function Svg(props: { id: string; title: string; desc: string; width: number; height: number; children: ReactNode }) {
  const t = `${props.id}-title`;
  const d = `${props.id}-desc`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      role="img"
      aria-labelledby={`${t} ${d}`}
      viewBox={`0 0 ${props.width} ${props.height}`}
      width="100%"
      style={{ maxWidth: props.width }}
      fontFamily="system-ui, sans-serif"
      fontSize={14}
    >
      <title id={t}>{props.title}</title>
      <desc id={d}>{props.desc}</desc>
      {props.children}
    </svg>
  );
}

/** A labelled box; `tone` picks a translucent fill so it reads in light and dark themes. */
export function Box(props: {
  x: number;
  y: number;
  w: number;
  h: number;
  label: string;
  tone?: "kernel" | "os" | "app" | "ro" | "rw" | "plain";
  dashed?: boolean;
  bold?: boolean;
}) {
  const fills = { kernel: "#e07a1f", os: "#4a78c2", app: "#2f9e6e", ro: "#7a6fc9", rw: "#d1435b", plain: "#888888" };
  return (
    <g>
      <rect
        x={props.x}
        y={props.y}
        width={props.w}
        height={props.h}
        rx={6}
        fill={fills[props.tone ?? "plain"]}
        fillOpacity={0.18}
        stroke="currentColor"
        strokeWidth={props.bold ? 2.5 : 1.5}
        strokeDasharray={props.dashed ? "6 4" : undefined}
      />
      <text
        x={props.x + props.w / 2}
        y={props.y + props.h / 2}
        dominantBaseline="middle"
        textAnchor="middle"
        fill="currentColor"
        fontWeight={props.bold ? 700 : 400}
      >
        {props.label}
      </text>
    </g>
  );
}

export function Caption(props: { x: number; y: number; text: string; anchor?: "start" | "middle" | "end"; size?: number; bold?: boolean }) {
  return (
    <text
      x={props.x}
      y={props.y}
      textAnchor={props.anchor ?? "middle"}
      fill="currentColor"
      fontSize={props.size ?? 14}
      fontWeight={props.bold ? 700 : 400}
    >
      {props.text}
    </text>
  );
}

// The MDX components a lesson may use, with their props. The app maps each name to a React
// implementation; the loader refuses any other JSX element so a typo fails the build, not the page.

export interface PropSpec {
  required: boolean;
  /** Allowed literal values; undefined = any string. */
  values?: readonly string[];
}
export interface ComponentSpec {
  props: Record<string, PropSpec>;
  /** Whether the element may wrap content. */
  children: boolean;
  description: string;
}

export const DIAGRAM_NAMES = ["vm-container-chroot", "layers", "namespaces", "image-registry", "engine-parts"] as const;
export type DiagramName = (typeof DIAGRAM_NAMES)[number];
export const CALLOUT_KINDS = ["info", "tip", "warning"] as const;
export type CalloutKind = (typeof CALLOUT_KINDS)[number];

export const COMPONENTS = {
  Run: {
    props: { command: { required: true } },
    children: false,
    description: "A runnable code block: clicking it types the command into the learner's Terminal.",
  },
  Callout: {
    props: { kind: { required: true, values: CALLOUT_KINDS }, title: { required: false } },
    children: true,
    description: "A highlighted note (info, tip or warning) with an optional title.",
  },
  Diagram: {
    props: { name: { required: true, values: DIAGRAM_NAMES } },
    children: false,
    description: "One of the accessible SVG diagrams in content/diagrams, in the page's language.",
  },
  Quiz: { props: {}, children: false, description: "The lesson's quiz, from the frontmatter." },
  Exercises: { props: {}, children: false, description: "The lesson's exercise checklist." },
  HostKernel: { props: {}, children: false, description: "The host's kernel release, as the runner reports it." },
} as const satisfies Record<string, ComponentSpec>;

export type ComponentName = keyof typeof COMPONENTS;
export const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];

/** Props the app's implementations receive (besides `lang` and `children` where relevant). */
export interface RunProps {
  command: string;
}
export interface CalloutProps {
  kind: CalloutKind;
  title?: string;
}
export interface DiagramProps {
  name: DiagramName;
}

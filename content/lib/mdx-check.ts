// Compiles a lesson's MDX body and lists the JSX elements it uses that the app cannot render.
import { COMPONENTS, type ComponentSpec } from "./components";
import { lessonRemarkPlugins } from "./mdx-options";

interface JsxAttr {
  type: string;
  name?: string;
  value?: unknown;
}
interface MdxNode {
  type: string;
  name?: string | null;
  attributes?: JsxAttr[];
  children?: MdxNode[];
  position?: { start: { line: number } };
}

export interface MdxProblem {
  line?: number;
  message: string;
}

/** Returns the problems in one MDX body (syntax, unknown components, wrong props); empty when fine. */
export async function checkMdx(source: string, lineOffset = 0): Promise<{ problems: MdxProblem[]; used: string[] }> {
  const problems: MdxProblem[] = [];
  const used: string[] = [];
  const collect = () => (tree: MdxNode) => {
    const walk = (node: MdxNode) => {
      const line = node.position ? node.position.start.line + lineOffset : undefined;
      if (node.type === "mdxjsEsm") {
        problems.push({ line, message: "import/export is not allowed in lessons: use the built-in components" });
      }
      if (node.type === "mdxJsxFlowElement" || node.type === "mdxJsxTextElement") {
        problems.push(...checkElement(node, line));
        if (node.name) used.push(node.name);
      }
      node.children?.forEach(walk);
    };
    walk(tree);
  };
  try {
    // Dynamic import: @mdx-js/mdx is ESM-only and `npx tsx` runs this repo's .ts files as CommonJS.
    const { compile } = await import("@mdx-js/mdx");
    await compile(source, { remarkPlugins: [...(await lessonRemarkPlugins()), collect] });
  } catch (err) {
    const e = err as { message?: string; line?: number; place?: { line?: number; start?: { line: number } } };
    const line = e.line ?? e.place?.line ?? e.place?.start?.line;
    problems.push({
      line: line !== undefined ? line + lineOffset : undefined,
      message: `MDX does not compile: ${e.message ?? String(err)}`,
    });
  }
  return { problems, used };
}

function checkElement(node: MdxNode, line: number | undefined): MdxProblem[] {
  const name = node.name;
  if (!name) return [{ line, message: "JSX fragments (<>…</>) are not allowed" }];
  const spec: ComponentSpec | undefined = (COMPONENTS as Record<string, ComponentSpec>)[name];
  if (!spec) {
    return [
      {
        line,
        message: `unknown component <${name}>; allowed: ${Object.keys(COMPONENTS)
          .map((n) => `<${n}>`)
          .join(", ")}`,
      },
    ];
  }
  const problems: MdxProblem[] = [];
  const given = new Map<string, unknown>();
  for (const a of node.attributes ?? []) {
    if (a.type !== "mdxJsxAttribute" || !a.name) {
      problems.push({ line, message: `<${name}>: spread attributes are not allowed` });
      continue;
    }
    if (!(a.name in spec.props)) {
      problems.push({ line, message: `<${name}>: unknown prop "${a.name}"; allowed: ${Object.keys(spec.props).join(", ") || "none"}` });
      continue;
    }
    if (typeof a.value !== "string") {
      problems.push({ line, message: `<${name}>: prop "${a.name}" must be a plain string literal, e.g. ${a.name}="…"` });
      continue;
    }
    given.set(a.name, a.value);
  }
  for (const [prop, p] of Object.entries(spec.props)) {
    const v = given.get(prop);
    if (p.required && (v === undefined || v === "")) problems.push({ line, message: `<${name}>: missing required prop "${prop}"` });
    if (typeof v === "string" && p.values && !p.values.includes(v)) {
      problems.push({ line, message: `<${name}>: ${prop}="${v}" is not one of ${p.values.join(", ")}` });
    }
  }
  if (!spec.children && (node.children?.length ?? 0) > 0) {
    problems.push({ line, message: `<${name}> takes no children: write it self-closing, <${name} … />` });
  }
  return problems;
}

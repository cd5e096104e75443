import { parseAllDocuments } from "yaml";

/**
 * Offline validation of the Kubernetes manifests (no cluster can run here): each YAML document is
 * parsed and checked against the Kubernetes OpenAPI schemas that `kubernetes-models` compiles
 * (types, required fields, enums), looked up by its apiVersion and kind. Pure apart from the
 * models' own imports; the test beside it feeds it the files.
 */

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

export interface ValidationResult {
  objects: K8sObject[];
  /** Each problem names the file, the document's position and what is wrong where. */
  problems: string[];
}

// apiVersion "v1" or "group/version"; kind in PascalCase: what may become an import path.
const API_VERSION = /^(?:[a-z0-9.-]+\/)?v[0-9]+(?:(?:alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

interface ModelClass {
  new (data: unknown): { validate(): void };
}

async function modelFor(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  try {
    // A computed specifier: Vite must not try to resolve it at build time.
    const specifier = `kubernetes-models/${apiVersion}/${kind}`;
    const mod = (await import(/* @vite-ignore */ specifier)) as Record<string, ModelClass>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

/** Parses a (multi-document) YAML text and validates every object in it. */
export async function validateManifestText(text: string, file: string): Promise<ValidationResult> {
  const objects: K8sObject[] = [];
  const problems: string[] = [];
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return { objects, problems: [`${file}: not YAML documents`] };
  for (const [i, doc] of docs.entries()) {
    const where = `${file} (document ${i + 1})`;
    if (doc.errors.length) {
      problems.push(...doc.errors.map((e) => `${where}: YAML error: ${e.message}`));
      continue;
    }
    const obj = doc.toJS() as unknown;
    if (obj === null || obj === undefined) continue; // an empty document between two `---`
    if (typeof obj !== "object" || Array.isArray(obj)) {
      problems.push(`${where}: a manifest must be a mapping with apiVersion and kind`);
      continue;
    }
    const { apiVersion, kind } = obj as Partial<K8sObject>;
    if (typeof apiVersion !== "string" || !API_VERSION.test(apiVersion) || typeof kind !== "string" || !KIND.test(kind)) {
      problems.push(`${where}: apiVersion ${JSON.stringify(apiVersion)} and kind ${JSON.stringify(kind)} do not name a Kubernetes type`);
      continue;
    }
    const Model = await modelFor(apiVersion, kind);
    if (!Model) {
      problems.push(`${where}: ${apiVersion} ${kind} is not a type of the Kubernetes API (check apiVersion and kind)`);
      continue;
    }
    try {
      new Model(obj).validate();
      objects.push(obj as K8sObject);
    } catch (e) {
      const name = (obj as K8sObject).metadata?.name ?? "?";
      problems.push(`${where}: ${kind} ${name}: ${(e as Error).message}`);
    }
  }
  return { objects, problems };
}

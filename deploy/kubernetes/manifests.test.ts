import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateManifestText, type K8sObject } from "./validate";

/**
 * Every manifest in deploy/kubernetes is valid against the Kubernetes schemas (kubernetes-models,
 * offline), and keeps the properties the deployment relies on: one app replica on its volume,
 * probes on real health endpoints, only the runner privileged, runners reached only by the app and
 * the gateway, a kustomization that applies every file.
 */

const dir = path.resolve(__dirname);
const root = path.resolve(dir, "../..");
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".yaml") && f !== "kustomization.yaml")
  .sort();

type Container = {
  name: string;
  readinessProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  securityContext?: { privileged?: boolean };
};
type PodSpec = { containers: Container[]; initContainers?: Container[]; hostNetwork?: boolean; hostPID?: boolean };
type Workload = K8sObject & {
  spec: { replicas?: number; strategy?: { type: string }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};
type Selector = { matchLabels?: Record<string, string> };
type NetPol = K8sObject & {
  spec: { podSelector: Selector; ingress?: { from?: { podSelector?: Selector; namespaceSelector?: Selector }[] }[] };
};

async function loadAll(): Promise<K8sObject[]> {
  const all: K8sObject[] = [];
  for (const f of files) {
    const r = await validateManifestText(fs.readFileSync(path.join(dir, f), "utf8"), f);
    expect(r.problems, `problems in ${f}`).toEqual([]);
    all.push(...r.objects);
  }
  return all;
}

const component = (o: K8sObject) => (o as Workload).spec.template.metadata.labels["app.kubernetes.io/component"];
const matches = (sel: Selector | undefined, labels: Record<string, string>) =>
  !!sel && Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

describe("Kubernetes manifests", () => {
  it("every document of every file is valid against the Kubernetes schemas", async () => {
    expect(files.length).toBeGreaterThan(3);
    const all = await loadAll();
    expect(all.map((o) => o.kind)).toEqual(
      expect.arrayContaining(["Namespace", "Deployment", "DaemonSet", "Service", "Ingress", "NetworkPolicy", "PersistentVolumeClaim"]),
    );
  });

  it("the kustomization applies every manifest file, and only existing ones", () => {
    const k = parse(fs.readFileSync(path.join(dir, "kustomization.yaml"), "utf8")) as { resources: string[] };
    expect([...k.resources].sort()).toEqual(files);
  });

  it("the app is one replica replaced (not rolled) on a PersistentVolumeClaim: SQLite has one writer", async () => {
    const all = await loadAll();
    const app = all.find((o) => o.kind === "Deployment" && component(o) === "app") as Workload;
    expect(app.spec.replicas).toBe(1);
    expect(app.spec.strategy?.type).toBe("Recreate");
    const volumes = (app.spec.template.spec as unknown as { volumes: { persistentVolumeClaim?: { claimName: string } }[] }).volumes;
    const claim = volumes.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
    expect(all.some((o) => o.kind === "PersistentVolumeClaim" && o.metadata?.name === claim)).toBe(true);
  });

  it("runners are a DaemonSet on the labelled sandbox nodes, found through a headless Service", async () => {
    const all = await loadAll();
    const ds = all.find((o) => o.kind === "DaemonSet") as Workload & { spec: { template: { spec: { nodeSelector?: object } } } };
    expect(component(ds)).toBe("runner");
    expect(ds.spec.template.spec.nodeSelector).toEqual({ "aprendendo-docker.org/sandboxes": "true" });
    const svc = all.find((o) => o.kind === "Service" && o.metadata?.name === "sandbox-runner") as K8sObject & {
      spec: { clusterIP?: string; selector: Record<string, string> };
    };
    expect(svc.spec.clusterIP).toBe("None");
    expect(svc.spec.selector).toEqual({ ...ds.spec.template.metadata.labels });
    const cfg = all.find((o) => o.kind === "ConfigMap" && o.metadata?.name === "aprendendo-docker-config") as K8sObject & {
      data: Record<string, string>;
    };
    expect(cfg.data.RUNNERS).toBe(`dns:sandbox-runner.${svc.metadata?.namespace}.svc.cluster.local:3001`);
  });

  it("every long-running container has readiness and liveness probes on an endpoint that exists", async () => {
    const all = await loadAll();
    const workloads = all.filter((o) => o.kind === "Deployment" || o.kind === "DaemonSet") as Workload[];
    expect(workloads.length).toBeGreaterThanOrEqual(3);
    const runnerHttp = fs.readFileSync(path.join(root, "sandbox-runner/src/server/http.ts"), "utf8");
    for (const w of workloads)
      for (const c of w.spec.template.spec.containers) {
        const ready = c.readinessProbe?.httpGet?.path;
        const live = c.livenessProbe?.httpGet?.path;
        expect(ready, `${w.metadata?.name}/${c.name} readiness`).toBeTruthy();
        expect(live, `${w.metadata?.name}/${c.name} liveness`).toBeTruthy();
        for (const p of [ready!, live!]) {
          if (component(w) === "runner") expect(runnerHttp).toContain(`app.get("${p}"`);
          if (component(w) === "app") expect(fs.existsSync(path.join(root, "app", p, "route.ts")), `app route for ${p}`).toBe(true);
        }
      }
  });

  it("only the runner is privileged, and no pod shares the node's network or processes", async () => {
    const all = await loadAll();
    for (const w of all.filter((o) => o.kind === "Deployment" || o.kind === "DaemonSet") as Workload[]) {
      const s = w.spec.template.spec;
      expect(s.hostNetwork ?? false).toBe(false);
      expect(s.hostPID ?? false).toBe(false);
      for (const c of [...s.containers, ...(s.initContainers ?? [])])
        expect(c.securityContext?.privileged ?? false, `${w.metadata?.name}/${c.name}`).toBe(component(w) === "runner");
    }
  });

  it("runners accept connections only from the app and the gateway; the namespace denies the rest", async () => {
    const all = await loadAll();
    const pols = all.filter((o) => o.kind === "NetworkPolicy") as NetPol[];
    expect(pols.some((p) => Object.keys(p.spec.podSelector.matchLabels ?? {}).length === 0 && !p.spec.ingress)).toBe(true);
    const runnerLabels = (all.find((o) => o.kind === "DaemonSet") as Workload).spec.template.metadata.labels;
    const sources = pols
      .filter((p) => matches(p.spec.podSelector, runnerLabels))
      .flatMap((p) => p.spec.ingress ?? [])
      .flatMap((r) => r.from ?? [{}]);
    expect(sources.length).toBeGreaterThan(0);
    for (const s of sources) {
      expect(s.namespaceSelector, "no rule lets other namespaces reach the runners").toBeUndefined();
      expect(["app", "runner-gateway"]).toContain(s.podSelector?.matchLabels?.["app.kubernetes.io/component"]);
    }
  });
});

describe("validateManifestText", () => {
  const good = fs.readFileSync(path.join(dir, "app.yaml"), "utf8");

  it("refuses a wrong type, naming the file, the object and the field", async () => {
    const broken = good.replace("containerPort: 3000", 'containerPort: "three thousand"');
    expect(broken).not.toBe(good);
    const r = await validateManifestText(broken, "app.yaml");
    expect(r.problems.join("\n")).toMatch(/app\.yaml \(document \d\): Deployment app: .*containerPort must be integer/);
  });

  it("refuses a missing required field", async () => {
    const r = await validateManifestText("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\nspec: {template: {}}\n", "x.yaml");
    expect(r.problems.join("\n")).toMatch(/Deployment x: data\/spec must have required property selector/);
  });

  it("refuses a kind the API does not have, and YAML that does not parse", async () => {
    const r = await validateManifestText("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: x}\n---\nkind: [\n", "y.yaml");
    expect(r.problems[0]).toMatch(/y\.yaml \(document 1\): apps\/v1 Deploymnet is not a type of the Kubernetes API/);
    expect(r.problems[1]).toMatch(/y\.yaml \(document 2\): YAML error/);
  });
});

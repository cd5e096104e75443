/**
 * Which runners the app may use (RUNNERS), read as data. Pure: the registry (./registry.ts) does the
 * network side. Three shapes:
 *  - unset: the one runner of `npm start` (RUNNER_HOST:RUNNER_PORT), exactly as before;
 *  - a list: `a=http://10.0.0.2:3001|ws://10.0.0.2:3001,b=http://…` (name=URL for the app, then,
 *    after "|", the WebSocket URL browsers use; without it, the same host over ws://);
 *  - `dns:NAME:PORT`: every address NAME resolves to is a runner (a Kubernetes headless Service);
 *    browsers then reach each through RUNNER_PUBLIC_URL_TEMPLATE ({ip}, {ipDashed}, {name}).
 */

export interface RunnerEndpoint {
  /** Stable name: recorded on the learner's session, shown in logs, used to drain. */
  name: string;
  /** Base URL of the runner's HTTP API, as the app reaches it. */
  url: string;
  /** WebSocket base URL for browsers; undefined: derive it from the page's host (one-machine default). */
  publicUrl?: string;
}

export type RunnersSetting =
  | { kind: "single"; runner: RunnerEndpoint }
  | { kind: "static"; runners: RunnerEndpoint[] }
  | { kind: "dns"; host: string; port: number; publicUrlTemplate: string };

export class FleetConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FleetConfigError";
  }
}

const NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
/** The name `npm start`'s single runner gets. */
export const LOCAL_RUNNER = "local";

function url(value: string, protocols: string[], what: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new FleetConfigError(`${what} ${JSON.stringify(value)} is not a URL (like ${protocols[0]}//10.0.0.2:3001)`);
  }
  if (!protocols.includes(u.protocol))
    throw new FleetConfigError(`${what} ${JSON.stringify(value)} must start with ${protocols.map((p) => p + "//").join(" or ")}`);
  return value.replace(/\/+$/, "");
}

export function parseRunners(env: { RUNNERS?: string; RUNNER_PUBLIC_URL_TEMPLATE?: string }, single: RunnerEndpoint): RunnersSetting {
  const raw = env.RUNNERS?.trim();
  if (!raw) return { kind: "single", runner: single };
  if (raw.startsWith("dns:")) {
    const m = /^dns:([a-z0-9.-]+):(\d{1,5})$/i.exec(raw);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new FleetConfigError(
        `RUNNERS=${JSON.stringify(raw)}: write dns:NAME:PORT, like dns:sandbox-runner.curso.svc.cluster.local:3001`,
      );
    const t = env.RUNNER_PUBLIC_URL_TEMPLATE?.trim();
    if (!t || !/\{(ip|ipDashed|name)\}/.test(t))
      throw new FleetConfigError(
        "RUNNERS=dns:… needs RUNNER_PUBLIC_URL_TEMPLATE naming each runner, like wss://curso.example.org/runner/{ipDashed} ({ip}, {ipDashed} or {name})",
      );
    url(expandTemplate(t, { ip: "10.0.0.1", name: "x" }), ["ws:", "wss:"], "RUNNER_PUBLIC_URL_TEMPLATE");
    return { kind: "dns", host: m[1]!, port: Number(m[2]), publicUrlTemplate: t };
  }
  const runners: RunnerEndpoint[] = [];
  for (const entry of raw
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf("=");
    const name = eq > 0 ? entry.slice(0, eq) : "";
    if (!NAME.test(name))
      throw new FleetConfigError(
        `RUNNERS entry ${JSON.stringify(entry)}: start it with a name (lowercase letters, digits, dashes) and "=", like a=http://10.0.0.2:3001`,
      );
    if (runners.some((r) => r.name === name)) throw new FleetConfigError(`RUNNERS names the runner ${name} twice: give each its own name`);
    const [api, pub] = entry.slice(eq + 1).split("|");
    const apiUrl = url(api ?? "", ["http:", "https:"], `RUNNERS entry ${name}: the app's URL`);
    const publicUrl = pub ? url(pub, ["ws:", "wss:"], `RUNNERS entry ${name}: the browsers' URL`) : apiUrl.replace(/^http/, "ws");
    runners.push({ name, url: apiUrl, publicUrl });
  }
  if (runners.length === 0) throw new FleetConfigError("RUNNERS is empty: leave it unset for one local runner, or list name=URL entries");
  return { kind: "static", runners };
}

/** A runner's browser URL in DNS mode: {ip}, {ipDashed} (10-42-1-7: a DNS label) and {name}. */
export function expandTemplate(template: string, r: { ip: string; name: string }): string {
  return template.replaceAll("{ipDashed}", r.ip.replace(/[.:]/g, "-")).replaceAll("{ip}", r.ip).replaceAll("{name}", r.name);
}

/** RUNNERS_DRAINING: names (or, with dns:, addresses) of runners that get no new sandboxes. */
export function parseDraining(value: string | undefined): Set<string> {
  const names = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  for (const n of names)
    if (!NAME.test(n) && !/^[0-9a-f.:]+$/i.test(n))
      throw new FleetConfigError(`RUNNERS_DRAINING: ${JSON.stringify(n)} is not a runner name or address (comma-separated, like b,c)`);
  return new Set(names);
}

/** Origins browsers may open WebSockets to (the page's Content-Security-Policy), beyond the default. */
export function publicOrigins(s: RunnersSetting): string[] {
  const urls =
    s.kind === "static"
      ? s.runners.map((r) => r.publicUrl!)
      : s.kind === "dns"
        ? [expandTemplate(s.publicUrlTemplate, { ip: "0.0.0.0", name: "x" })]
        : s.runner.publicUrl
          ? [s.runner.publicUrl]
          : [];
  return [...new Set(urls.map((u) => new URL(u).origin))];
}

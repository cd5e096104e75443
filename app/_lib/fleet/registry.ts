import { lookup } from "node:dns/promises";
import { expandTemplate, type RunnerEndpoint, type RunnersSetting } from "./config";
import { pickRunner, type RunnerState } from "./placement";

/**
 * The runners the app knows, with their health and load: found from RUNNERS (a list, or DNS names
 * of a Kubernetes headless Service), each polled on its /healthz when the app needs a fresh view
 * (at most every `staleMs`; no timers in a Next.js server). Placement counts the sandboxes it
 * sends to a runner at once, so a burst of learners between two polls still spreads out.
 */

export interface RunnerView extends RunnerEndpoint, RunnerState {
  /** Address it was found at (DNS mode). */
  ip?: string;
  lastSeenAt?: number;
  /** Why it is marked down. */
  error?: string;
}

export class PlacementError extends Error {
  constructor(
    readonly reason: "no-runner" | "all-down" | "all-draining" | "all-full",
    message: string,
  ) {
    super(message);
    this.name = "PlacementError";
  }
}

export interface RegistryOptions {
  draining?: Set<string>;
  /** How old a view may be before place() polls again. */
  staleMs?: number;
  /** How long a /healthz may take before the runner counts as down. */
  timeoutMs?: number;
  resolve?: (host: string) => Promise<string[]>;
}

const UNKNOWN_CAPACITY = Number.MAX_SAFE_INTEGER;

export class RunnerRegistry {
  private readonly views = new Map<string, RunnerView>();
  private refreshing: Promise<void> | undefined;
  private refreshedAt = 0;
  private readonly draining: Set<string>;

  constructor(
    private readonly setting: RunnersSetting,
    private readonly opts: RegistryOptions = {},
  ) {
    this.draining = new Set(opts.draining ?? []);
    for (const e of this.staticEndpoints()) this.views.set(e.name, this.blank(e));
  }

  private staticEndpoints(): RunnerEndpoint[] {
    return this.setting.kind === "static" ? this.setting.runners : this.setting.kind === "single" ? [this.setting.runner] : [];
  }

  private blank(e: RunnerEndpoint, ip?: string): RunnerView {
    // Unknown until polled: counted as up, so a cold app can place before its first poll answers.
    return { ...e, ip, healthy: true, draining: this.isDraining(e.name, ip), sandboxes: 0, capacity: UNKNOWN_CAPACITY };
  }

  private isDraining(name: string, ip?: string): boolean {
    return this.draining.has(name) || (!!ip && this.draining.has(ip));
  }

  list(): RunnerView[] {
    return [...this.views.values()].map((v) => ({ ...v }));
  }

  endpoint(name: string): RunnerEndpoint | undefined {
    const v = this.views.get(name);
    return v && { name: v.name, url: v.url, ...(v.publicUrl ? { publicUrl: v.publicUrl } : {}) };
  }

  /** Drain (no new sandboxes; the ones there live out their time) or undrain a runner by name or address. */
  setDraining(nameOrIp: string, on: boolean): void {
    if (on) this.draining.add(nameOrIp);
    else this.draining.delete(nameOrIp);
    for (const v of this.views.values()) v.draining = this.isDraining(v.name, v.ip);
  }

  /** Marks a runner down at once (a call to it failed); the next poll may bring it back. */
  markDown(name: string, error: string): void {
    const v = this.views.get(name);
    if (v) Object.assign(v, { healthy: false, error });
  }

  /** Polls every runner (and, in DNS mode, finds them first). Concurrent callers share one poll. */
  refresh(): Promise<void> {
    this.refreshing ??= this.poll().finally(() => {
      this.refreshing = undefined;
      this.refreshedAt = Date.now();
    });
    return this.refreshing;
  }

  private async poll(): Promise<void> {
    const listed = this.setting.kind === "dns" ? await this.discover(this.setting) : undefined;
    // A runner gone from DNS stays down even if it still answers: it is no longer ready (draining
    // pod, node leaving); its learners are moved at their next action.
    await Promise.all([...this.views.values()].filter((v) => !listed || !v.ip || listed.has(v.ip)).map((v) => this.probe(v)));
  }

  /** The addresses DNS gives now (undefined when DNS did not answer: keep polling the known ones). */
  private async discover(s: Extract<RunnersSetting, { kind: "dns" }>): Promise<Set<string> | undefined> {
    let ips: string[];
    try {
      ips = await (this.opts.resolve ?? defaultResolve)(s.host);
    } catch (e) {
      console.error(`[fleet] cannot resolve ${s.host}: ${(e as Error).message}`);
      return undefined;
    }
    for (const ip of ips) {
      if ([...this.views.values()].some((v) => v.ip === ip)) continue;
      const host = ip.includes(":") ? `[${ip}]` : ip;
      // Named by its address, which is also its RUNNER_NAME in the manifests (the pod's IP).
      const e = { name: ip, url: `http://${host}:${s.port}`, publicUrl: expandTemplate(s.publicUrlTemplate, { ip, name: ip }) };
      this.views.set(ip, this.blank(e, ip));
    }
    // A runner gone from DNS is not ready any more: down, but kept, so its learners are moved.
    for (const v of this.views.values()) if (v.ip && !ips.includes(v.ip)) Object.assign(v, { healthy: false, error: "gone from DNS" });
    return new Set(ips);
  }

  private async probe(v: RunnerView): Promise<void> {
    try {
      const r = await fetch(`${v.url}/healthz`, { signal: AbortSignal.timeout(this.opts.timeoutMs ?? 3000), cache: "no-store" });
      if (!r.ok) throw new Error(`/healthz answered ${r.status}`);
      const h = (await r.json()) as { sandboxes?: number; capacity?: number; draining?: boolean };
      Object.assign(v, {
        healthy: true,
        error: undefined,
        lastSeenAt: Date.now(),
        sandboxes: typeof h.sandboxes === "number" ? h.sandboxes : v.sandboxes,
        capacity: typeof h.capacity === "number" ? h.capacity : UNKNOWN_CAPACITY,
        draining: this.isDraining(v.name, v.ip) || h.draining === true,
      });
    } catch (e) {
      Object.assign(v, { healthy: false, error: (e as Error).message });
    }
  }

  /** The runner by name if it is up and open for new sandboxes (a learner waiting in its line stays there). */
  open(name: string): RunnerEndpoint | undefined {
    const v = this.views.get(name);
    return v && v.healthy && !v.draining ? this.endpoint(name) : undefined;
  }

  /** Polls the one runner now: true when it answers. */
  async answers(name: string): Promise<boolean> {
    const v = this.views.get(name);
    if (!v) return false;
    await this.probe(v);
    return v.healthy;
  }

  /** A runner for a new sandbox, after a poll when the view is older than staleMs (`evenIfFull`: see pickRunner). */
  async place(avoid: readonly string[] = [], opts: { evenIfFull?: boolean } = {}): Promise<RunnerEndpoint> {
    if (Date.now() - this.refreshedAt > (this.opts.staleMs ?? 5000)) await this.refresh();
    const p = pickRunner([...this.views.values()], { avoid, ...opts });
    if (!p.ok) throw new PlacementError(p.reason, p.message);
    this.views.get(p.name)!.sandboxes += 1;
    return this.endpoint(p.name)!;
  }
}

async function defaultResolve(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

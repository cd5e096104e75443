import type { RunnerEndpoint } from "./config";
import { PlacementError, type RunnerRegistry } from "./registry";

/**
 * A learner's sandbox on the fleet: the one their open session names, on the runner it names, if
 * that runner still has it; else a fresh one on a runner placement picks. When the runner holding
 * it is gone (killed, unreachable) the learner gets a fresh sandbox elsewhere at once, with
 * notice "moved"; their progress is in the database and stays. I/O only through `deps`, so the
 * fleet integration test drives it with real runners and a real database.
 */

export interface FleetRunnerApi<Created extends { id: string } = { id: string }> {
  createSandbox(owner: string, lang?: "pt-BR" | "en"): Promise<Created>;
  getSandbox(id: string): Promise<{ id: string; owner: string; state: string } | null>;
  listTerminals(id: string): Promise<{ id: string }[]>;
  destroySandbox(id: string): Promise<void>;
}

export interface EnsureDeps<Created extends { id: string } = { id: string }> {
  registry: RunnerRegistry;
  /** The API of one runner; calls that cannot reach it reject with an error `isDown` recognises. */
  api(runner: RunnerEndpoint): FleetRunnerApi<Created>;
  isDown(e: unknown): boolean;
  /** Whether the runner's owner of a sandbox is this learner (a claimed guest's id counts). */
  ownsAs(owner: string): Promise<boolean>;
  endSession(sandboxId: string, reason: "reset" | "expired" | "runner-lost"): Promise<void>;
  startSession(sandboxId: string, runner: string): Promise<void>;
  /** Rate limits for new sandboxes: throws when this learner may not have one now. */
  beforeCreate(): Promise<void>;
  /** The name sessions from before the fleet (runner null) are on. */
  legacyRunner: string;
  /** Whether a create's failure is a place in the runner's line (the runner is full: the learner waits there). */
  isQueued?(e: unknown): boolean;
  /** The runner whose line this learner waits in (they keep asking there, so they keep their place). */
  waitingOn?: { get(): Promise<string | undefined>; set(runner: string | undefined): Promise<void> };
}

export interface Ensured<Created extends { id: string } = { id: string }> {
  runner: RunnerEndpoint;
  /** What the runner answered when this call created the sandbox (absent for an existing one). */
  created?: Created;
  owner: string;
  sandboxId: string;
  terminals: string[];
  /** "expired": the old sandbox was gone; "moved": its runner was gone, a fresh one is elsewhere. */
  notice?: "expired" | "moved";
}

export async function ensureOnFleet<Created extends { id: string }>(
  deps: EnsureDeps<Created>,
  req: { owner: string; lang?: "pt-BR" | "en"; fresh?: boolean; open: { sandboxId: string; runner: string | null } | null },
): Promise<Ensured<Created>> {
  let notice: Ensured["notice"];
  const avoid: string[] = [];
  const open = req.open;
  if (open) {
    const name = open.runner ?? deps.legacyRunner;
    const where = deps.registry.endpoint(name);
    if (!where) {
      // A runner the app no longer lists (RUNNERS changed): its sandbox is out of reach.
      await deps.endSession(open.sandboxId, "runner-lost");
      notice = "moved";
    } else if (req.fresh) {
      await deps
        .api(where)
        .destroySandbox(open.sandboxId)
        .catch((e: unknown) => {
          if (!deps.isDown(e)) throw e;
        });
      await deps.endSession(open.sandboxId, "reset");
    } else {
      const api = deps.api(where);
      let info: Awaited<ReturnType<FleetRunnerApi<Created>["getSandbox"]>> = null;
      let down = false;
      try {
        info = await api.getSandbox(open.sandboxId);
      } catch (e) {
        if (!deps.isDown(e)) throw e;
        // One failed call could be a blip: the runner is gone only if /healthz does not answer either.
        down = !(await deps.registry.answers(name));
        if (!down) info = await api.getSandbox(open.sandboxId);
      }
      if (down) {
        deps.registry.markDown(name, "its sandbox could not be reached");
        avoid.push(name);
        await deps.endSession(open.sandboxId, "runner-lost");
        notice = "moved";
      } else if (info && info.state !== "stopping" && info.state !== "gone" && (await deps.ownsAs(info.owner))) {
        const terminals = (await api.listTerminals(info.id)).map((t) => t.id);
        return { runner: where, owner: info.owner, sandboxId: info.id, terminals };
      } else {
        await deps.endSession(open.sandboxId, "expired");
        notice = "expired";
      }
    }
  }
  // A learner in a runner's line took their allowance when they joined it: asking again is not a new sandbox.
  const waiting = await deps.waitingOn?.get();
  if (!waiting) await deps.beforeCreate();
  // A runner that fails while creating is marked down and the next one is tried. When every runner
  // is full the learner waits in the line of one of them (the one they already wait in, if it is up).
  for (;;) {
    let runner: RunnerEndpoint;
    try {
      runner = await deps.registry.place(avoid);
    } catch (e) {
      if (!(e instanceof PlacementError && e.reason === "all-full" && deps.isQueued)) throw e;
      runner =
        (waiting && !avoid.includes(waiting) ? deps.registry.open(waiting) : undefined) ??
        (await deps.registry.place(avoid, { evenIfFull: true }));
    }
    let created: Created;
    try {
      created = await deps.api(runner).createSandbox(req.owner, req.lang);
    } catch (e) {
      if (deps.isQueued?.(e)) await deps.waitingOn?.set(runner.name);
      if (!deps.isDown(e)) throw e;
      deps.registry.markDown(runner.name, (e as Error).message);
      avoid.push(runner.name);
      continue;
    }
    if (waiting) await deps.waitingOn?.set(undefined);
    await deps.startSession(created.id, runner.name);
    return { runner, created, owner: req.owner, sandboxId: created.id, terminals: [], ...(notice ? { notice } : {}) };
  }
}

export { PlacementError };

import { createHash } from "node:crypto";
import type { EnsureRequest, EnsureResult, SetupStep } from "../../../contract/types";
import type { SandboxPort } from "./port";

/** How much of a failed setup step's output the answer carries (the app logs it). */
const SETUP_OUTPUT_KEEP = 2000;

/**
 * The runner's side of POST /v1/sandboxes/ensure: which setup steps each sandbox has run (the app
 * keeps none of this), one ensure at a time per owner (a lesson's terminal and checklist may ask at
 * once: they must get the same sandbox, and a step must not run twice).
 */
export class SandboxEnsurer {
  /** Sandbox id → setup key → hash of the script that ran there with exit 0. */
  private readonly done = new Map<string, Map<string, string>>();
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly sandboxes: SandboxPort,
    private readonly answer: (sandboxId: string) => Promise<Pick<EnsureResult, "terminals" | "limits">>,
  ) {
    sandboxes.on("destroyed", (e) => this.done.delete(e.id));
  }

  ensure(req: EnsureRequest): Promise<EnsureResult> {
    return this.serialized(req.owner, () => this.ensureNow(req));
  }

  private async ensureNow(req: EnsureRequest): Promise<EnsureResult> {
    const named = req.sandboxId ? this.sandboxes.get(req.sandboxId) : undefined;
    const mine = this.sandboxes.list().filter((s) => s.owner === req.owner && s.state === "running");
    if (req.fresh) {
      for (const s of [...(named ? [named] : []), ...mine]) await this.sandboxes.destroy(s.id);
    }
    // The named sandbox wins (its owner may be a guest the learner's account claimed: the app checks).
    let sandbox = !req.fresh && named?.state === "running" ? named : !req.fresh ? mine[0] : undefined;
    let created = false;
    if (!sandbox) {
      sandbox = await this.sandboxes.create(req.owner, req.lang ? { lang: req.lang } : {});
      created = true;
    }
    const setup: EnsureResult["setup"] = [];
    for (const step of req.setup ?? []) {
      const ran = await this.runOnce(sandbox.id, step);
      if (ran)
        setup.push({ key: step.key, exitCode: ran.exitCode, output: ran.exitCode === 0 ? "" : ran.output.slice(-SETUP_OUTPUT_KEEP) });
    }
    return { sandbox: this.sandboxes.get(sandbox.id) ?? sandbox, created, setup, ...(await this.answer(sandbox.id)) };
  }

  /** Runs a step unless this sandbox already ran this key with this script; undefined when skipped. */
  private async runOnce(sandboxId: string, step: SetupStep) {
    const hash = createHash("sha256").update(step.script).digest("hex");
    const ran = this.done.get(sandboxId) ?? new Map<string, string>();
    if (ran.get(step.key) === hash) return undefined;
    const r = await this.sandboxes.exec(sandboxId, step.script, { timeoutMs: step.timeoutMs });
    if (r.exitCode === 0 && !r.timedOut) {
      ran.set(step.key, hash);
      // Only for a sandbox still there: a 'destroyed' event meanwhile dropped its entry for good.
      if (this.sandboxes.get(sandboxId)) this.done.set(sandboxId, ran);
    }
    return r;
  }

  private async serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.locks.get(key) ?? Promise.resolve();
    const next = prev.catch(() => undefined).then(fn);
    this.locks.set(key, next);
    try {
      return await next;
    } finally {
      if (this.locks.get(key) === next) this.locks.delete(key);
    }
  }
}

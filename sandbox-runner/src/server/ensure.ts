import { createHash } from "node:crypto";
import { RunnerFault, isFault } from "../../../contract/faults";
import type { CourseLanguage, EnsureAnswer, EnsureQueued, EnsureRequest, EnsureResult, SetupStep } from "../../../contract/types";
import { WaitLine } from "../sandbox/wait-line";
import type { SandboxInfo, SandboxPort } from "./port";

/** How much of a failed setup step's output the answer carries (the app logs it). */
const SETUP_OUTPUT_KEEP = 2000;
/** How often a waiting owner is told to ask again; the line is looked at as often. */
export const QUEUE_POLL_MS = 2000;
export const DEFAULT_QUEUE_LEAVE_MS = 60_000;
/** The longest line kept: past it, 'busy' (a bound on the runner's memory whatever the app sends). */
export const MAX_LINE = 1000;

/** A waiting owner's request, and once admitted the start of their sandbox (null: the room was gone, back in line). */
interface Waiting {
  lang?: CourseLanguage;
  creation?: Promise<SandboxInfo | null>;
}

/**
 * The runner's side of POST /v1/sandboxes/ensure: which setup steps each sandbox has run (the app
 * keeps none of this), one ensure at a time per owner (a lesson's terminal and checklist may ask at
 * once: they must get the same sandbox, and a step must not run twice), and the line of owners
 * waiting for room when the runner is full (sandbox/wait-line.ts): they get their place instead of
 * an error, and the first in line gets the next sandbox that ends.
 */
export class SandboxEnsurer {
  /** Sandbox id → setup key → hash of the script that ran there with exit 0. */
  private readonly done = new Map<string, Map<string, string>>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly line: WaitLine<Waiting>;
  private sweepTimer?: NodeJS.Timeout;

  constructor(
    private readonly sandboxes: SandboxPort,
    private readonly answer: (sandboxId: string) => Promise<Pick<EnsureResult, "terminals" | "limits">>,
    opts: { leaveMs?: number } = {},
  ) {
    this.line = new WaitLine(opts.leaveMs ?? DEFAULT_QUEUE_LEAVE_MS);
    sandboxes.on("destroyed", (e) => {
      this.done.delete(e.id);
      // Room freed: the first in line gets it before anyone else can ask.
      this.admit();
    });
  }

  ensure(req: EnsureRequest): Promise<EnsureAnswer> {
    return this.serialized(req.owner, () => this.ensureNow(req));
  }

  /** The line now (for /healthz and tests): the owners still waiting, first in line first. */
  lineView(): { waiting: number; owners: string[] } {
    const owners = this.line.waitingOwners();
    return { waiting: owners.length, owners };
  }

  close(): void {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  private async ensureNow(req: EnsureRequest): Promise<EnsureAnswer> {
    const named = req.sandboxId ? this.sandboxes.get(req.sandboxId) : undefined;
    const mine = this.sandboxes.list().filter((s) => s.owner === req.owner && s.state === "running");
    if (req.fresh) {
      for (const s of [...(named ? [named] : []), ...mine]) await this.sandboxes.destroy(s.id);
    }
    // The named sandbox wins (its owner may be a guest the learner's account claimed: the app checks).
    let sandbox = !req.fresh && named?.state === "running" ? named : !req.fresh ? mine[0] : undefined;
    let created = false;
    if (sandbox) {
      // Started for them when their turn came, before they asked again: new to them all the same.
      created = this.line.get(req.owner)?.admitted === true;
      this.leaveLine(req.owner);
    } else {
      const got = await this.fromLine(req);
      if ("queued" in got) return got;
      sandbox = got;
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

  /**
   * A new sandbox for this owner, or their place in line: straight away when nobody waits and there
   * is room; else they join (or keep) their place, and get the sandbox started for them once admitted.
   */
  private async fromLine(req: EnsureRequest): Promise<SandboxInfo | EnsureQueued> {
    const opts = req.lang ? { lang: req.lang } : {};
    let entry = this.line.get(req.owner);
    if (!entry && this.line.waiting === 0 && this.room() > 0) {
      try {
        return await this.sandboxes.create(req.owner, opts);
      } catch (e) {
        // Full after all (room went to someone else meanwhile): the line, not an error.
        if (!isFault(e, "busy")) throw e;
      }
    }
    if (!entry && this.line.size >= MAX_LINE)
      throw new RunnerFault("busy", `every sandbox is in use and ${this.line.size} learners wait already: try again in a few minutes`);
    entry = this.line.join(req.owner, Date.now(), { ...entry?.data, lang: req.lang });
    this.admit();
    if (entry.admitted && entry.data.creation) {
      let sandbox: SandboxInfo | null;
      try {
        sandbox = await entry.data.creation;
      } catch (e) {
        this.leaveLine(req.owner);
        throw e;
      }
      if (sandbox) {
        this.leaveLine(req.owner);
        return sandbox;
      }
    }
    return {
      queued: {
        position: Math.max(1, this.line.position(req.owner)),
        waiting: this.line.waiting,
        pollAfterMs: QUEUE_POLL_MS,
        leaveAfterMs: this.line.leaveMs,
      },
    };
  }

  private room(): number {
    // A port that cannot say lets one in at a time; create()'s 'busy' sends them back.
    return this.sandboxes.room ? this.sandboxes.room() : 1;
  }

  /** Starts the sandboxes of the first in line while there is room. */
  private admit(): void {
    if (this.line.waiting === 0) return this.changed();
    for (const e of this.line.admit(this.room())) {
      const creation = this.sandboxes.create(e.owner, e.data.lang ? { lang: e.data.lang } : {}).catch((err: unknown) => {
        if (!isFault(err, "busy")) throw err;
        // The room was taken after all: back to the front of the line.
        if (this.line.get(e.owner) === e) this.line.readmitLater(e.owner);
        e.data.creation = undefined;
        this.changed();
        return null;
      });
      // Its owner may never come back for it: the sweep deals with that; no unhandled rejection meanwhile.
      creation.catch(() => undefined);
      e.data.creation = creation;
    }
    this.changed();
  }

  private leaveLine(owner: string): void {
    if (this.line.remove(owner)) this.changed();
  }

  /** Keeps the pool off the waiting owners' room, and sweeps the line while anyone is in it. */
  private changed(): void {
    this.sandboxes.reserve?.(this.line.waiting);
    if (this.line.size > 0) this.sweepTimer ??= setInterval(() => this.sweep(), QUEUE_POLL_MS).unref();
    else this.close();
  }

  /** Owners who stopped asking leave the line (a sandbox started for one of them ends, their files kept); room goes to the next. */
  private sweep(): void {
    for (const e of this.line.dropLeavers(Date.now())) {
      void e.data.creation?.then((s) => (s ? this.sandboxes.destroy(s.id, { keepFiles: true }) : undefined)).catch(() => undefined);
    }
    this.admit();
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

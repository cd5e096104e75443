/**
 * At most `limit` Bundles brought up at once (SANDBOX_STARTS_AT_ONCE). A `runc run` with its mounts
 * and user namespace takes a core for a while; thirty at once on two cores would starve the
 * terminals already running and make every one of the thirty slow. Learners' starts go before the
 * pool's (a learner waits for theirs; the pool is only getting ahead), each kind first come, first
 * served. Pure bookkeeping around promises: no timers, no I/O.
 */
export type StartKind = "learner" | "pool";

export interface StartGateStats {
  /** Starts under way now. */
  active: number;
  /** The most that were ever under way at once (what the bound promises: never above `limit`). */
  peak: number;
  /** Starts waiting for their turn. */
  waiting: number;
}

export class StartGate {
  private active = 0;
  private peak = 0;
  private readonly queues: Record<StartKind, (() => void)[]> = { learner: [], pool: [] };

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`StartGate limit must be a whole number ≥ 1, got ${limit}`);
  }

  /** Runs `fn` once fewer than `limit` starts are under way; its result or rejection passes through. */
  async run<T>(kind: StartKind, fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit || this.queues.learner.length > 0 || (kind === "pool" && this.queues.pool.length > 0))
      await new Promise<void>((resolve) => this.queues[kind].push(resolve));
    else this.enter();
    try {
      return await fn();
    } finally {
      this.active--;
      this.next();
    }
  }

  stats(): StartGateStats {
    return { active: this.active, peak: this.peak, waiting: this.queues.learner.length + this.queues.pool.length };
  }

  private enter(): void {
    this.active++;
    this.peak = Math.max(this.peak, this.active);
  }

  /** Hands the freed place to the next learner, else the next pool start. */
  private next(): void {
    while (this.active < this.limit) {
      const wake = this.queues.learner.shift() ?? this.queues.pool.shift();
      if (!wake) return;
      this.enter();
      wake();
    }
  }
}

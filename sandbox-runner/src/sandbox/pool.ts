import type { Logger } from "pino";
import type { SandboxRecord } from "./record";

/** How long after handing out a pool sandbox the pool starts its replacement. */
const POOL_REFILL_DELAY_MS = 1000;

/** How many pool sandboxes to have: `start` (bounded by room and memory) to start up to, `keep` (demand) to trim down to. */
export interface PoolTarget {
  start: number;
  keep: number;
}

export interface WarmPoolOptions {
  /** SANDBOX_POOL_SIZE (fixed) or what demand asks (auto), read at each refill. */
  target: () => PoolTarget;
  /** SANDBOX_CAPACITY: the pool's sandboxes count toward it. */
  capacity: number;
  /** Learners' sandboxes running or starting. */
  owned: () => number;
  /** False before init() and once shutting down: no new pool sandboxes then. */
  open: () => boolean;
  /** A new unowned record whose `ready` is its start (the manager's bring-up). */
  start: () => SandboxRecord;
  /** Stops a pool sandbox nobody will get (a failed start, the pool full, shutdown). */
  discard: (rec: SandboxRecord, why: "start-failed" | "discarded") => Promise<void>;
  log: Logger;
}

/** The warm pool: running, unowned sandboxes with a shell waiting; the manager hands one out at once. */
export class WarmPool {
  private readonly ready: SandboxRecord[] = [];
  private readonly filling = new Set<SandboxRecord>();
  private refillTimer?: NodeJS.Timeout;

  constructor(private readonly o: WarmPoolOptions) {}

  /** A ready sandbox, if any; its replacement starts a little later. */
  take(): SandboxRecord | undefined {
    const rec = this.ready.shift();
    if (rec)
      // Not at once: starting a container takes a core for ~80 ms, just when this learner's browser
      // connects to the sandbox it got.
      this.refillTimer ??= setTimeout(() => {
        this.refillTimer = undefined;
        this.refill();
      }, POOL_REFILL_DELAY_MS).unref();
    return rec;
  }

  /** Sandboxes ready or starting (they hold memory and count toward the capacity). */
  get count(): number {
    return this.ready.length + this.filling.size;
  }

  get readyCount(): number {
    return this.ready.length;
  }

  /**
   * Starts pool sandboxes until the target are ready or starting, within the capacity; stops ready
   * ones past what demand still asks for (the oldest first: the burst is over).
   */
  refill(): void {
    const { capacity } = this.o;
    if (!this.o.open()) return;
    const target = this.o.target();
    while (this.ready.length > target.keep) void this.o.discard(this.ready.shift()!, "discarded");
    while (this.o.open() && this.count < target.start && this.o.owned() + this.count < capacity) {
      const rec = this.o.start();
      this.filling.add(rec);
      void rec.ready
        .then(
          () => {
            if (!this.o.open() || this.o.owned() + this.ready.length >= capacity) return this.o.discard(rec, "discarded");
            this.ready.push(rec);
          },
          async (e: unknown) => {
            this.o.log.warn({ err: e }, "could not start a pool sandbox; the next create() starts one cold");
            await this.o.discard(rec, "start-failed");
          },
        )
        .finally(() => this.filling.delete(rec));
    }
  }

  /**
   * At shutdown (once `open()` is false): waits for the sandboxes still starting (their start handler
   * discards them), and returns the ready ones for the manager to stop.
   */
  async drain(): Promise<SandboxRecord[]> {
    clearTimeout(this.refillTimer);
    const filling = [...this.filling];
    await Promise.all(filling.map((r) => r.ready.catch(() => undefined)));
    await new Promise((r) => setImmediate(r));
    await Promise.all(filling.map((r) => r.stopping ?? this.o.discard(r, "discarded")));
    return this.ready.splice(0);
  }
}

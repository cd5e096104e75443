/**
 * How many warm sandboxes to keep ready, from recent demand (SANDBOX_POOL_SIZE=auto). Pure: the
 * manager feeds it the times of creation requests and the host's numbers; tests feed it a clock.
 *
 * The idea: a class arrives in bursts (thirty learners opening lesson 1 in the same minute), and
 * a learner who gets a warm sandbox sees a prompt at once while a cold one waits for a `runc run`.
 * So the pool holds as many sandboxes as learners arrived in the last minute (the burst is still
 * going), at least one while a class is on (someone asked in the last half hour), none on an idle
 * machine, and never more than the room, the memory and the configured maximum allow.
 */

/** Requests this recent count as the burst in progress. */
export const BURST_WINDOW_MS = 60_000;
/** A request this recent means a class is on: keep one sandbox ready. */
export const SESSION_WINDOW_MS = 30 * 60_000;
/** Host memory left alone whatever the pool wants (the runner, the app, the kernel's caches). */
export const MEMORY_RESERVE_MB = 512;

export interface PoolBounds {
  /** SANDBOX_POOL_MAX. */
  max: number;
  /** SANDBOX_CAPACITY. */
  capacity: number;
  /** Learners' sandboxes running or starting. */
  owned: number;
  /** Learners waiting in line for a sandbox: their slots are theirs, not the pool's. */
  waiting: number;
  /** The host's available memory now (MiB, MemAvailable), counting the pool's own sandboxes as used. */
  availableMb: number;
  /** What one sandbox may use (SANDBOX_MEMORY_MB): a pool sandbox must be able to grow to it once handed out. */
  sandboxMemoryMb: number;
  /** Pool sandboxes ready or starting now (already counted in availableMb's "used"). */
  pooled: number;
}

/** The recent creation requests, oldest first, trimmed to the session window. */
export class DemandWindow {
  private readonly times: number[] = [];

  record(now: number): void {
    this.times.push(now);
    this.trim(now);
  }

  /** Requests in the last `windowMs` before `now`. */
  count(now: number, windowMs: number): number {
    this.trim(now);
    let n = 0;
    for (let i = this.times.length - 1; i >= 0 && now - this.times[i]! < windowMs; i--) n++;
    return n;
  }

  private trim(now: number): void {
    while (this.times.length > 0 && now - this.times[0]! >= SESSION_WINDOW_MS) this.times.shift();
    // A bound on memory whatever the rate: more than this many in the window say nothing new.
    if (this.times.length > 10_000) this.times.splice(0, this.times.length - 10_000);
  }
}

/** What demand alone asks for: the burst of the last minute, at least one while a class is on. */
export function demandTarget(w: DemandWindow, now: number): number {
  const burst = w.count(now, BURST_WINDOW_MS);
  return Math.max(burst, w.count(now, SESSION_WINDOW_MS) > 0 ? 1 : 0);
}

/** The pool's size: what is asked for (demand, or a fixed SANDBOX_POOL_SIZE), within every bound. */
export function boundedPoolTarget(wanted: number, b: PoolBounds): number {
  const room = b.capacity - b.owned - b.waiting;
  // The pool's own sandboxes are in the host's "used" memory already: what they hold is theirs to keep.
  const memory = Math.floor((b.availableMb - MEMORY_RESERVE_MB) / Math.max(1, b.sandboxMemoryMb)) + b.pooled;
  return Math.max(0, Math.min(wanted, b.max, room, memory));
}

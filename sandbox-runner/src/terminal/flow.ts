/**
 * Flow control (wetty's idea, made pure): every consumer of a Terminal's output (each attached
 * client, the headless screen) counts bytes it has been given but not yet acknowledged. The PTY is
 * paused as soon as one consumer that may hold it back goes above the high-water mark, and resumed
 * once every such consumer is back under the low-water mark. Hysteresis keeps it from flapping.
 * Pure: no timers, no I/O; the caller applies the returned decision.
 */

export interface FlowLimits {
  highWater: number;
  lowWater: number;
}

export const DEFAULT_FLOW: FlowLimits = { highWater: 256 * 1024, lowWater: 32 * 1024 };

export type FlowDecision = "pause" | "resume" | null;

interface Consumer {
  unacked: number;
  /** Holds the PTY back when behind (learner clients, the screen); observers never do. */
  blocking: boolean;
  /** When this consumer first went above high water (for slow-consumer eviction), else null. */
  behindSince: number | null;
}

export class FlowGate {
  private readonly consumers = new Map<string, Consumer>();
  private paused = false;
  /** Extra reasons to keep the PTY paused (e.g. "attach" while a snapshot is taken). */
  private readonly holds = new Set<string>();

  constructor(private readonly limits: FlowLimits = DEFAULT_FLOW) {
    if (!(limits.lowWater >= 0 && limits.highWater > limits.lowWater)) {
      throw new Error(`flow limits need 0 <= lowWater < highWater (got ${limits.lowWater}, ${limits.highWater})`);
    }
  }

  get isPaused(): boolean {
    return this.paused;
  }

  add(id: string, blocking: boolean): FlowDecision {
    this.consumers.set(id, { unacked: 0, blocking, behindSince: null });
    return this.decide();
  }

  remove(id: string): FlowDecision {
    this.consumers.delete(id);
    return this.decide();
  }

  unacked(id: string): number {
    return this.consumers.get(id)?.unacked ?? 0;
  }

  /** Bytes handed to a consumer. */
  sent(id: string, bytes: number, now = 0): FlowDecision {
    const c = this.consumers.get(id);
    if (!c) return null;
    c.unacked += bytes;
    if (c.unacked > this.limits.highWater && c.behindSince === null) c.behindSince = now;
    return this.decide();
  }

  /** Bytes a consumer says it has processed; acknowledging more than was sent is clamped. */
  acked(id: string, bytes: number): FlowDecision {
    const c = this.consumers.get(id);
    if (!c) return null;
    c.unacked = Math.max(0, c.unacked - Math.max(0, bytes));
    if (c.unacked <= this.limits.highWater) c.behindSince = null;
    return this.decide();
  }

  hold(reason: string): FlowDecision {
    this.holds.add(reason);
    return this.decide();
  }

  release(reason: string): FlowDecision {
    this.holds.delete(reason);
    return this.decide();
  }

  /** Consumers that have been above high water since before `olderThan` (to be dropped). */
  stuck(olderThan: number): string[] {
    const out: string[] = [];
    for (const [id, c] of this.consumers) if (c.behindSince !== null && c.behindSince < olderThan) out.push(id);
    return out;
  }

  private decide(): FlowDecision {
    let anyHigh = false;
    let allLow = true;
    for (const c of this.consumers.values()) {
      if (!c.blocking) continue;
      if (c.unacked > this.limits.highWater) anyHigh = true;
      if (c.unacked > this.limits.lowWater) allLow = false;
    }
    const held = this.holds.size > 0;
    if (!this.paused && (anyHigh || held)) {
      this.paused = true;
      return "pause";
    }
    if (this.paused && allLow && !held) {
      this.paused = false;
      return "resume";
    }
    return null;
  }
}

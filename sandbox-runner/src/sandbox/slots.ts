import type { RunnerConfig } from "../config/config";
import { sandboxOwnerUid } from "../container/userns";
import { capacityFault } from "./errors";

/** Owner uids: twice the capacity, so a sandbox still stopping never blocks a new one's slot. */
export const slotRange = (capacity: number) => 2 * capacity;

/** The user-namespace options of the owner uid of `slot` (see userns.ts). */
export function ownerUidOptions(cfg: Pick<RunnerConfig, "SANDBOX_UID_BASE" | "SANDBOX_UID_COUNT">, slot: number) {
  const { SANDBOX_UID_BASE: uidBase, SANDBOX_UID_COUNT: uidCount } = cfg;
  return { ownerUid: sandboxOwnerUid(uidBase, uidCount, slot), uidBase, uidCount };
}

/** Owner-uid slots of live sandboxes, handed out round-robin so a freed one rests before reuse. */
export class Slots {
  private readonly taken = new Set<number>();
  private next = 0;
  constructor(private readonly range: number) {}

  /** `running`: how many sandboxes run, for the 'busy' message when every slot is taken. */
  take(running: number): number {
    for (let i = 0; i < this.range; i++) {
      const slot = (this.next + i) % this.range;
      if (!this.taken.has(slot)) {
        this.taken.add(slot);
        this.next = (slot + 1) % this.range;
        return slot;
      }
    }
    throw capacityFault(running);
  }

  release(slot: number | undefined): void {
    if (slot !== undefined) this.taken.delete(slot);
  }
}

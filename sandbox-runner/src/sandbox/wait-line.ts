/**
 * The line of learners waiting for a sandbox when the runner is full: first come, first served.
 * Pure: times come in as arguments. An owner asking again keeps their place (and shows they are
 * still there); an owner who has not asked for `leaveMs` has left and drops out; when room frees,
 * the first in line are admitted (their sandbox starts at once, before they ask again).
 */

export interface LineEntry<T> {
  owner: string;
  joinedAt: number;
  /** The last time this owner asked: past `leaveMs` ago, they left. */
  seenAt: number;
  /** Admitted: room was found and their sandbox is starting or ready, waiting to be claimed. */
  admitted: boolean;
  /** What the caller needs to start their sandbox (the language of the shell). */
  data: T;
}

export class WaitLine<T> {
  private readonly entries: LineEntry<T>[] = [];

  constructor(readonly leaveMs: number) {}

  get size(): number {
    return this.entries.length;
  }

  /** Owners still waiting for room (not yet admitted). */
  get waiting(): number {
    return this.entries.filter((e) => !e.admitted).length;
  }

  /** The owners still waiting, first in line first. */
  waitingOwners(): string[] {
    return this.entries.filter((e) => !e.admitted).map((e) => e.owner);
  }

  get(owner: string): LineEntry<T> | undefined {
    return this.entries.find((e) => e.owner === owner);
  }

  /** Joins the line at its end, or (already in it) keeps the place and notes the owner is still there. */
  join(owner: string, now: number, data: T): LineEntry<T> {
    const e = this.get(owner);
    if (e) {
      e.seenAt = now;
      e.data = data;
      return e;
    }
    const added: LineEntry<T> = { owner, joinedAt: now, seenAt: now, admitted: false, data };
    this.entries.push(added);
    return added;
  }

  /** 1 for the first owner still waiting; admitted owners are no longer counted ahead of anyone. 0 if not waiting. */
  position(owner: string): number {
    let n = 0;
    for (const e of this.entries) {
      if (e.admitted) continue;
      n++;
      if (e.owner === owner) return n;
    }
    return 0;
  }

  remove(owner: string): LineEntry<T> | undefined {
    const i = this.entries.findIndex((e) => e.owner === owner);
    return i < 0 ? undefined : this.entries.splice(i, 1)[0];
  }

  /** Back to waiting, at the front (room it was admitted to was gone after all). */
  readmitLater(owner: string): void {
    const e = this.remove(owner);
    if (!e) return;
    e.admitted = false;
    this.entries.unshift(e);
  }

  /** Admits up to `room` owners, first in line first; returns them. */
  admit(room: number): LineEntry<T>[] {
    const out: LineEntry<T>[] = [];
    for (const e of this.entries) {
      if (out.length >= room) break;
      if (e.admitted) continue;
      e.admitted = true;
      out.push(e);
    }
    return out;
  }

  /** Removes and returns every owner who has not asked for `leaveMs` (admitted ones too: their sandbox goes back). */
  dropLeavers(now: number): LineEntry<T>[] {
    const gone: LineEntry<T>[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (now - this.entries[i]!.seenAt >= this.leaveMs) gone.unshift(...this.entries.splice(i, 1));
    }
    return gone;
  }
}

/**
 * Where a new sandbox goes: a healthy runner that is not draining and has room, the least loaded
 * first (by share of its capacity, then by count, then by name, so the choice is stable). Pure.
 */

export interface RunnerState {
  name: string;
  healthy: boolean;
  draining: boolean;
  /** Sandboxes it holds (its last /healthz, plus the ones placed there since). */
  sandboxes: number;
  capacity: number;
}

export type Placement =
  { ok: true; name: string } | { ok: false; reason: "no-runner" | "all-down" | "all-draining" | "all-full"; message: string };

/**
 * `evenIfFull`: when every open runner is full, the least loaded of them anyway (a learner then waits
 * in that runner's line instead of being turned away).
 */
export function pickRunner(states: RunnerState[], opts: { avoid?: readonly string[]; evenIfFull?: boolean } = {}): Placement {
  const candidates = states.filter((s) => !opts.avoid?.includes(s.name));
  if (candidates.length === 0) return { ok: false, reason: "no-runner", message: "no sandbox runner is known to the app (RUNNERS)" };
  const up = candidates.filter((s) => s.healthy);
  if (up.length === 0) return { ok: false, reason: "all-down", message: `no sandbox runner answers (${names(candidates)})` };
  const open = up.filter((s) => !s.draining);
  if (open.length === 0) return { ok: false, reason: "all-draining", message: `every answering runner is draining (${names(up)})` };
  const withRoom = open.filter((s) => s.sandboxes < s.capacity);
  if (withRoom.length === 0 && !opts.evenIfFull)
    return { ok: false, reason: "all-full", message: `every open runner is full (${names(open)})` };
  const room = withRoom.length > 0 ? withRoom : open;
  const load = (s: RunnerState) => s.sandboxes / Math.max(1, s.capacity);
  room.sort((a, b) => load(a) - load(b) || a.sandboxes - b.sandboxes || a.name.localeCompare(b.name));
  return { ok: true, name: room[0]!.name };
}

const names = (s: RunnerState[]) => s.map((x) => x.name).join(", ");

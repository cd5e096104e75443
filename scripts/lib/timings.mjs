/**
 * How long each step of `npm test` took, and which ran beside which: a table printed at the end, so a
 * slow step (or one that stopped overlapping) shows at a glance. Pure: the clock is passed in.
 */

/** Records steps as they start and end; `now` returns milliseconds. */
export function createTimings(now = () => performance.now()) {
  const origin = now();
  const rows = [];
  return {
    rows,
    origin,
    /** Starts a step; call the returned function with whether it passed when it ends. */
    start(name, { background = false } = {}) {
      const row = { name, background, startMs: now() - origin, endMs: undefined, ok: undefined };
      rows.push(row);
      return (ok = true) => {
        if (row.endMs === undefined) {
          row.endMs = now() - origin;
          row.ok = ok;
        }
      };
    },
    /** Milliseconds since the timings were created. */
    elapsed: () => now() - origin,
  };
}

const secs = (ms) => (ms / 1000).toFixed(1);

/**
 * The table: one line per step (when it started after the beginning, how long it took, ✓/✗, its
 * name, "beside" for one that ran in the background), then the whole run's wall-clock time.
 * A step that never ended (the run stopped first) shows "—" and counts as not passed.
 */
export function formatTimings(rows, totalMs) {
  const lines = ["Steps (seconds): started at, took"];
  for (const r of rows) {
    const took = r.endMs === undefined ? "—" : secs(r.endMs - r.startMs);
    const mark = r.endMs === undefined ? "…" : r.ok ? "✓" : "✗";
    lines.push(`  ${secs(r.startMs).padStart(7)} ${took.padStart(7)}  ${mark} ${r.name}${r.background ? "  (beside the others)" : ""}`);
  }
  lines.push(`  ${"total".padStart(7)} ${secs(totalMs).padStart(7)}`);
  return lines.join("\n");
}

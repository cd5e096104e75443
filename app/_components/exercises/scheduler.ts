/**
 * When to run checks (pure timing logic, no React): automatic requests are debounced (a burst of
 * finished commands gives one run), a manual request runs at once, and only one run is in flight;
 * requests arriving during a run are merged into one follow-up run.
 */
export type Trigger = "auto" | "manual";

export function autoCheckScheduler(o: { debounceMs: number; run(trigger: Trigger): Promise<void> }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let queued: Trigger | null = null;
  let disposed = false;

  const start = async (trigger: Trigger) => {
    if (disposed) return;
    if (inFlight) {
      queued = queued === "manual" || trigger === "manual" ? "manual" : "auto";
      return;
    }
    inFlight = true;
    try {
      await o.run(trigger);
    } finally {
      inFlight = false;
      const next = queued;
      queued = null;
      if (next) void start(next);
    }
  };

  return {
    request(trigger: Trigger) {
      clearTimeout(timer);
      if (trigger === "manual") void start("manual");
      else timer = setTimeout(() => void start("auto"), o.debounceMs);
    },
    get busy() {
      return inFlight;
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

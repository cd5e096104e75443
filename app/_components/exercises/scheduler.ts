/**
 * When to run checks (pure timing logic, no React). An automatic request (a command finished) runs
 * at once when nothing ran for `minGapMs`: the checklist follows the prompt without waiting out a
 * debounce. Requests closer together than that, or arriving while a run is in flight, are merged
 * into one follow-up run, so a burst of commands (a pasted script, a loop) costs at most one run
 * per `minGapMs` per learner. A manual request runs at once (after the run in flight, if any).
 */
export type Trigger = "auto" | "manual";

export function autoCheckScheduler(o: { minGapMs: number; run(trigger: Trigger): Promise<void>; now?: () => number }) {
  const now = o.now ?? (() => Date.now());
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight = false;
  let queued: Trigger | null = null;
  let disposed = false;
  let lastAutoStart = -Infinity;

  const start = async (trigger: Trigger) => {
    if (disposed) return;
    if (inFlight) {
      queued = queued === "manual" || trigger === "manual" ? "manual" : "auto";
      return;
    }
    inFlight = true;
    if (trigger === "auto") lastAutoStart = now();
    try {
      await o.run(trigger);
    } finally {
      inFlight = false;
      const next = queued;
      queued = null;
      if (next === "manual") void start("manual");
      else if (next === "auto") requestAuto();
    }
  };

  const requestAuto = () => {
    if (disposed || timer !== undefined) return;
    const wait = lastAutoStart + o.minGapMs - now();
    if (wait <= 0) void start("auto");
    else
      timer = setTimeout(() => {
        timer = undefined;
        void start("auto");
      }, wait);
  };

  return {
    request(trigger: Trigger) {
      if (trigger === "manual") {
        // A manual run covers a pending automatic one.
        clearTimeout(timer);
        timer = undefined;
        void start("manual");
      } else requestAuto();
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

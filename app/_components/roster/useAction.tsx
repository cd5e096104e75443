"use client";

import { useState } from "react";
import { useRouter } from "next/navigation";
import type { RosterResult } from "@/_lib/actions/roster";

/**
 * Runs a roster server action: busy while it runs, the failure's message (what was wrong) kept for
 * an alert, and the page's server data refreshed after a success.
 */
export function useRosterAction() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function run<T extends object>(fn: () => Promise<RosterResult<T>>, refresh = true): Promise<(T & { ok: true }) | null> {
    setBusy(true);
    setError(null);
    const r = await fn().catch((e: Error) => ({ ok: false as const, code: "unknown" as const, message: e.message }));
    setBusy(false);
    if (!r.ok) {
      setError(r.message);
      return null;
    }
    if (refresh) router.refresh();
    return r as T & { ok: true };
  }
  return { busy, error, run, setError };
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

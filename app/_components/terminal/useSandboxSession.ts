"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { openSandbox, resetSandbox, type OpenSandboxResult, type SandboxErrorCode } from "@/_lib/actions/sandbox";
import { SANDBOX_CHANGED_EVENT, emit, type SandboxChangedDetail } from "../exercises/events";
import type { ConnectAuth } from "./connection";
import { adoptNotice, type NoticeKey } from "./notices";

/**
 * The learner's sandbox for one lesson, as the terminal panel sees it: opened on mount, retried by
 * itself while the runner is down or full, replaced when it expired, reset on request. Errors are
 * codes (the panel words them from the message catalogue); notices are message keys.
 */
export type Session = Extract<OpenSandboxResult, { ok: true }>;
export interface SessionError {
  code: SandboxErrorCode;
  retryAfter?: number;
  /** "queued": the learner's place in the runner's line. */
  position?: number;
}

export function useSandboxSession(o: {
  lessonId: string;
  locale: string;
  /** A sandbox was adopted (opened, reset, or a fresh one replaced an expired one): start its tabs. */
  onAdopt(s: Session): void;
}) {
  const { lessonId, locale } = o;
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<SessionError | null>(null);
  const [notice, setNotice] = useState<NoticeKey | null>(null);
  const [busy, setBusy] = useState(false);
  // The connections' auth reads the latest session through a ref (kept in sync after each commit).
  const sessionRef = useRef<Session | null>(null);
  const onAdoptRef = useRef(o.onAdopt);
  // Sandboxes the learner reset: their tabs' connections see them gone and ask for credentials
  // again before the reset's answer is adopted; that replacement is the reset, not an expiry.
  const resetFrom = useRef(new Set<string>());
  useEffect(() => {
    sessionRef.current = session;
    onAdoptRef.current = o.onAdopt;
  });

  const fail = (r: { code: SandboxErrorCode; retryAfter?: number; position?: number }) =>
    setError({ code: r.code, ...(r.retryAfter ? { retryAfter: r.retryAfter } : {}), ...(r.position ? { position: r.position } : {}) });

  const adopt = useCallback((s: Session, reason: SandboxChangedDetail["reason"]) => {
    setSession(s);
    sessionRef.current = s;
    setError(null);
    // "expired" may also be found by a Check that ran first: the terminal says so either way.
    // "moved": the runner holding the sandbox died and the fresh one is on another runner.
    const n = adoptNotice(s, reason);
    if (n) setNotice(n);
    onAdoptRef.current(s);
    emit<SandboxChangedDetail>(SANDBOX_CHANGED_EVENT, { sandboxId: s.sandboxId, reason: s.notice ? "expired" : reason });
  }, []);

  const open = useCallback(async () => {
    setBusy(true);
    try {
      const r = await openSandbox(lessonId, locale);
      if (r.ok) adopt(r, "opened");
      else fail(r);
    } catch {
      setError({ code: "runner-down" });
    } finally {
      setBusy(false);
    }
  }, [adopt, lessonId, locale]);

  // Opening the sandbox is talking to an external system (the runner) once mounted: what effects are for.
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void open();
  }, [open]);

  // Runner down or full: try again by itself after a while (the learner may press "Try again" sooner).
  // In line: ask again as the runner says (asking is what keeps the place); the turn comes by itself.
  useEffect(() => {
    const again = ["runner-down", "capacity", "too-many-sandboxes", "queued"];
    if (!error || !again.includes(error.code)) return;
    const timer = setTimeout(() => void open(), Math.min(120, error.retryAfter ?? 10) * 1000);
    return () => clearTimeout(timer);
  }, [error, open]);

  /** Fresh credentials for each (re)connection: tokens are short-lived; an expired sandbox is replaced. */
  const auth: ConnectAuth = useCallback(
    async (reason) => {
      const s = sessionRef.current;
      if (s && reason === "first" && Date.now() < s.tokenExpiresAt - 30_000) return { url: s.runnerWsUrl, token: s.token };
      const r = await openSandbox(lessonId, locale);
      if (!r.ok) {
        fail(r);
        throw new Error(r.code);
      }
      if (s && r.sandboxId !== s.sandboxId) {
        // A reset in progress adopts the new sandbox itself (and says "reset"); this tab goes away.
        if (resetFrom.current.has(s.sandboxId)) throw new Error("sandbox reset");
        // Another tab's connection adopted this replacement already (only the first answer carries
        // the restored files): adopting it again would swap the saved-work notice for "expired".
        if (sessionRef.current?.sandboxId === r.sandboxId) throw new Error("sandbox replaced");
        // The sandbox expired while we were away: start over with its Terminals.
        adopt(r, "expired");
        throw new Error("sandbox replaced");
      }
      // A fresh token for the same sandbox: what it said when it started (restored files) still holds.
      setSession(s?.savedWork && !r.savedWork ? { ...r, savedWork: s.savedWork } : r);
      setError(null);
      return { url: r.runnerWsUrl, token: r.token };
    },
    [adopt, lessonId, locale],
  );

  /** Destroys the sandbox and adopts a fresh one; `before` runs once the fresh one is there (forget the old tabs). */
  const reset = async (before: (oldSandboxId: string | undefined) => void) => {
    setBusy(true);
    setNotice("resetting");
    const from = session?.sandboxId;
    if (from) resetFrom.current.add(from);
    let done = false;
    try {
      const r = await resetSandbox(lessonId, locale);
      if (r.ok) {
        done = true;
        before(from);
        adopt(r, "reset");
        setNotice("resetDone");
      } else if (r.code === "queued") {
        // The old sandbox is gone and others were waiting first: this learner waits in line too,
        // with no tabs of the old one; the next turn is adopted like a first open.
        done = true;
        before(from);
        setSession(null);
        sessionRef.current = null;
        setNotice(null);
        fail(r);
      } else fail(r);
    } finally {
      // A failed reset adopts nothing: the tabs' own reconnection must be free to pick up a new sandbox.
      if (from && !done) resetFrom.current.delete(from);
      setBusy(false);
    }
  };

  return { session, error, notice, setNotice, busy, open, auth, reset };
}

import { randomUUID } from "node:crypto";
import path from "node:path";
import type { Db } from "../db";
import { Outbox, type WriteOutcome } from "./outbox";
import * as records from "./records";
import { isStorageUnavailable } from "./storage-errors";

/**
 * Exercise attempts (Check results) are never lost to a busy, locked or read-only database: each
 * gets its id before the first try; if the database cannot take it, it is kept in the outbox
 * (DATA_DIR/outbox, fsynced) and written later, by the next attempt or a background retry, with
 * that same id, so it lands exactly once. If even the outbox cannot be written (disk full), the
 * caller gets an OutboxFullError whose message says the attempt was not saved.
 */
export interface KeptAttempt {
  id: string;
  userId: string;
  at: string;
  attempt: Omit<records.AttemptInput, "id" | "createdAt">;
}

export type AttemptSaved = { id: string; saved: "db" } | { id: string; saved: "kept" };

const RETRY_MS = 10_000;

const outboxes = new Map<string, Outbox<KeptAttempt>>();
/** The process's attempt outbox under DATA_DIR/outbox (one per folder). */
export function attemptOutbox(dataDir: string = process.env.DATA_DIR || ".data"): Outbox<KeptAttempt> {
  const dir = path.resolve(/*turbopackIgnore: true*/ dataDir, "outbox");
  let o = outboxes.get(dir);
  if (!o) outboxes.set(dir, (o = new Outbox<KeptAttempt>(dir, "attempts")));
  return o;
}

export async function recordAttemptDurably(
  db: Db,
  outbox: Outbox<KeptAttempt>,
  userId: string,
  a: records.AttemptInput,
): Promise<AttemptSaved> {
  const kept: KeptAttempt = { id: a.id ?? `att_${randomUUID()}`, userId, at: (a.createdAt ?? new Date()).toISOString(), attempt: strip(a) };
  // Older kept attempts go first, so the history stays in order (best effort: never blocks this one).
  // While a retry timer runs the database was just unavailable: leave the backlog to it rather than wait twice.
  if (!timers.has(outbox) && outbox.size() > 0) await flushAttempts(db, outbox).catch(() => undefined);
  try {
    const viewer = await records.loadViewer(db, userId);
    await records.recordExerciseAttempt(db, viewer, { ...a, id: kept.id, createdAt: new Date(kept.at) });
    return { id: kept.id, saved: "db" };
  } catch (e) {
    if (!isStorageUnavailable(e)) throw e;
    console.error(`[outbox] attempt ${kept.id} kept for later: ${(e as Error).message.split("\n").at(-1)}`);
    outbox.keep(kept); // throws OutboxFullError with a clear message when this fails too
    scheduleRetry(db, outbox);
    return { id: kept.id, saved: "kept" };
  }
}

/** Writes every kept attempt the database takes now; returns how many were written and how many wait. */
export function flushAttempts(db: Db, outbox: Outbox<KeptAttempt>) {
  return outbox.flush((k) => writeKept(db, k));
}

async function writeKept(db: Db, k: KeptAttempt, withSandbox = true): Promise<WriteOutcome> {
  try {
    const viewer = await records.loadViewer(db, k.userId);
    const a = withSandbox ? k.attempt : { ...k.attempt, sandboxId: undefined };
    await records.recordExerciseAttempt(db, viewer, { ...a, id: k.id, createdAt: new Date(k.at) });
    return "written";
  } catch (e) {
    if ((e as { code?: string }).code === "P2002") return "written"; // its id is already there: an earlier flush wrote it
    if (isStorageUnavailable(e)) return "retry";
    // The sandbox's session row may itself have been lost to the outage: keep the attempt without the link.
    if (withSandbox && k.attempt.sandboxId) return writeKept(db, k, false);
    console.error(`[outbox] attempt ${k.id} can never be written, moved aside: ${(e as Error).message}`);
    return "reject";
  }
}

const timers = new Map<Outbox<KeptAttempt>, NodeJS.Timeout>();
function scheduleRetry(db: Db, outbox: Outbox<KeptAttempt>): void {
  if (timers.has(outbox)) return;
  const t = setInterval(() => {
    flushAttempts(db, outbox)
      .then((r) => {
        if (r.written) console.error(`[outbox] ${r.written} kept attempt(s) written to the database`);
        if (r.left === 0) {
          clearInterval(t);
          timers.delete(outbox);
        }
      })
      .catch((e) => console.error("[outbox] retry failed:", (e as Error).message));
  }, RETRY_MS);
  t.unref(); // never keeps the process alive on its own
  timers.set(outbox, t);
}

function strip(a: records.AttemptInput): KeptAttempt["attempt"] {
  const { id: _id, createdAt: _c, ...rest } = a;
  return rest;
}

/**
 * The rules for how much disk the Terminal recordings may take, without any I/O: a cap per sandbox,
 * a cap per learner (the sandbox's owner), a quota for all recordings together (the oldest finished
 * ones make room for new output), and a retention period after which a finished recording goes.
 * `RecordingStore` applies them to the files; the tests beside this file check the rules alone.
 */

export interface RecordingLimits {
  perSandboxBytes: number;
  perOwnerBytes: number;
  totalBytes: number;
  retentionMs: number;
}

/** No limits at all (tests of other parts, and a runner that was given none). */
export const UNLIMITED: RecordingLimits = {
  perSandboxBytes: Infinity,
  perOwnerBytes: Infinity,
  totalBytes: Infinity,
  retentionMs: Infinity,
};

const MB = 1024 * 1024;

/** The limits from the configuration's RECORDINGS_* values. */
export function recordingLimits(cfg: {
  RECORDINGS_MAX_MB_PER_SANDBOX: number;
  RECORDINGS_MAX_MB_PER_LEARNER: number;
  RECORDINGS_MAX_MB: number;
  RECORDINGS_RETENTION_DAYS: number;
}): RecordingLimits {
  return {
    perSandboxBytes: cfg.RECORDINGS_MAX_MB_PER_SANDBOX * MB,
    perOwnerBytes: cfg.RECORDINGS_MAX_MB_PER_LEARNER * MB,
    totalBytes: cfg.RECORDINGS_MAX_MB * MB,
    retentionMs: cfg.RECORDINGS_RETENTION_DAYS * 24 * 3600_000,
  };
}

export interface RecordingEntry {
  sandboxId: string;
  terminalId: string;
  owner: string;
  /** Bytes on disk (for a live recording: bytes granted so far, which it may not all have used). */
  bytes: number;
  /** Last write; a finished recording's age is counted from here. */
  mtimeMs: number;
  /** Still being written by a Terminal: never deleted under it. */
  live: boolean;
}

export type QuotaRefusal = "sandbox" | "owner" | "total";

/** The marker line a cut recording ends with, by what cut it. */
export const STOP_REASON: Record<QuotaRefusal | "terminal", string> = {
  terminal: "recording stopped: size cap reached",
  sandbox: "recording stopped: this sandbox's recordings reached their cap",
  owner: "recording stopped: this learner's recordings reached their cap",
  total: "recording stopped: the recordings quota of the runner is full",
};

export const recordingKey = (sandboxId: string, terminalId: string) => `${sandboxId}/${terminalId}`;

/** Finished recordings whose last write is older than the retention period. */
export function expiredRecordings(entries: Iterable<RecordingEntry>, now: number, retentionMs: number): RecordingEntry[] {
  const out: RecordingEntry[] = [];
  for (const e of entries) if (!e.live && now - e.mtimeMs > retentionMs) out.push(e);
  return out;
}

/**
 * The finished recordings to delete, oldest first, so that `total + need` fits in `maxTotal`; null
 * when deleting every finished one is not enough (live recordings are never deleted).
 */
export function evictionsForTotal(
  entries: Iterable<RecordingEntry>,
  total: number,
  need: number,
  maxTotal: number,
): RecordingEntry[] | null {
  if (total + need <= maxTotal) return [];
  const finished = [...entries].filter((e) => !e.live).sort((a, b) => a.mtimeMs - b.mtimeMs);
  const out: RecordingEntry[] = [];
  let left = total;
  for (const e of finished) {
    if (left + need <= maxTotal) break;
    out.push(e);
    left -= e.bytes;
  }
  return left + need <= maxTotal ? out : null;
}

/** Every recording's size, summed per sandbox, per owner and in total. */
export class RecordingLedger {
  private readonly entries = new Map<string, RecordingEntry>();
  private readonly bySandbox = new Map<string, number>();
  private readonly byOwner = new Map<string, number>();
  private totalBytes = 0;

  get total(): number {
    return this.totalBytes;
  }

  all(): RecordingEntry[] {
    return [...this.entries.values()];
  }

  get(sandboxId: string, terminalId: string): RecordingEntry | undefined {
    return this.entries.get(recordingKey(sandboxId, terminalId));
  }

  ofSandbox(sandboxId: string): RecordingEntry[] {
    return this.all().filter((e) => e.sandboxId === sandboxId);
  }

  sandboxBytes(sandboxId: string): number {
    return this.bySandbox.get(sandboxId) ?? 0;
  }

  ownerBytes(owner: string): number {
    return this.byOwner.get(owner) ?? 0;
  }

  /** Adds (or replaces) a recording. */
  add(e: RecordingEntry): void {
    this.remove(e.sandboxId, e.terminalId);
    this.entries.set(recordingKey(e.sandboxId, e.terminalId), { ...e });
    this.count(e, e.bytes);
  }

  remove(sandboxId: string, terminalId: string): RecordingEntry | undefined {
    const key = recordingKey(sandboxId, terminalId);
    const e = this.entries.get(key);
    if (!e) return undefined;
    this.entries.delete(key);
    this.count(e, -e.bytes);
    return e;
  }

  /** A live recording ended with `bytes` on disk at `mtimeMs`. */
  finish(sandboxId: string, terminalId: string, bytes: number, mtimeMs: number): void {
    const e = this.entries.get(recordingKey(sandboxId, terminalId));
    if (!e) return;
    this.count(e, bytes - e.bytes);
    Object.assign(e, { bytes, mtimeMs, live: false });
  }

  /**
   * Grants `n` more bytes to a live recording, or says which cap refuses them. The per-sandbox and
   * per-owner caps stop the recording; the total quota first takes the oldest finished recordings
   * out of the ledger (returned, for the caller to delete) and refuses only when that is not enough.
   */
  reserve(
    sandboxId: string,
    terminalId: string,
    n: number,
    limits: RecordingLimits,
  ): { ok: true; evicted: RecordingEntry[] } | { ok: false; refusal: QuotaRefusal } {
    const e = this.entries.get(recordingKey(sandboxId, terminalId));
    if (!e) return { ok: false, refusal: "sandbox" };
    if (this.sandboxBytes(sandboxId) + n > limits.perSandboxBytes) return { ok: false, refusal: "sandbox" };
    if (this.ownerBytes(e.owner) + n > limits.perOwnerBytes) return { ok: false, refusal: "owner" };
    // When it must evict, it frees some headroom beyond `n`, so a full quota is not re-sorted on every line.
    const headroom = Math.min(limits.totalBytes / 16, 8 * MB);
    const evicted =
      this.totalBytes + n <= limits.totalBytes
        ? []
        : (evictionsForTotal(this.entries.values(), this.totalBytes, n + headroom, limits.totalBytes) ??
          evictionsForTotal(this.entries.values(), this.totalBytes, n, limits.totalBytes));
    if (!evicted) return { ok: false, refusal: "total" };
    for (const x of evicted) this.remove(x.sandboxId, x.terminalId);
    this.count(e, n);
    e.bytes += n;
    return { ok: true, evicted };
  }

  private count(e: RecordingEntry, delta: number): void {
    const add = (m: Map<string, number>, k: string) => {
      const v = (m.get(k) ?? 0) + delta;
      if (v === 0) m.delete(k);
      else m.set(k, v);
    };
    add(this.bySandbox, e.sandboxId);
    add(this.byOwner, e.owner);
    this.totalBytes += delta;
  }
}

import fs from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import { TERMINAL_ID_RE } from "../../../contract/protocol";
import { RecordingLedger, STOP_REASON, UNLIMITED, expiredRecordings, type RecordingEntry, type RecordingLimits } from "./recording-quota";
import type { RecordingInfo } from "../../../contract/types";
import { SANDBOX_ID_RE, recordingPath } from "./recorder";

/** Per sandbox dir, who owns its recordings (they outlive the sandbox, and the runner's memory). */
const OWNER_FILE = "owner.json";
const HOUR = 3600_000;

export interface RecordingStoreOptions {
  runnerDir: string;
  limits?: RecordingLimits;
  /** How often the retention sweep runs after the one at start (default hourly). */
  sweepIntervalMs?: number;
  log?: Logger;
  now?: () => number;
}

/** What a Recorder asks before it writes: null when the bytes are granted, else the marker text. */
export interface RecordingQuota {
  reserve(bytes: number): string | null;
  /** The recording ended with `bytes` on disk (0: no file was made). */
  finish(bytes: number): void;
}

export type { RecordingInfo };

/**
 * The recordings on disk (DATA_DIR/runner/recordings/<sandbox>/<terminal>.cast), their sizes and
 * owners, and the files the quota rules (`recording-quota.ts`) say must go: read once at start,
 * then kept up to date as Terminals record. Recordings stay after their sandbox is destroyed (the
 * instructor replays after the class) until the retention period has passed, checked at start and
 * then every `sweepIntervalMs`.
 */
export class RecordingStore {
  readonly dir: string;
  private readonly ledger = new RecordingLedger();
  private readonly limits: RecordingLimits;
  private readonly now: () => number;
  private readonly owners = new Map<string, string>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<string[]>;
  readonly ready: Promise<void>;

  constructor(private readonly opts: RecordingStoreOptions) {
    this.dir = path.join(opts.runnerDir, "recordings");
    this.limits = opts.limits ?? UNLIMITED;
    this.now = opts.now ?? Date.now;
    this.ready = this.init();
  }

  private async init(): Promise<void> {
    try {
      await this.scan();
      await this.sweep();
    } catch (err) {
      // Recording must never stop a runner from serving: it goes on with what it knows.
      this.opts.log?.warn({ err }, "could not read or sweep the recordings at start");
    }
    if (Number.isFinite(this.limits.retentionMs)) {
      const every = this.opts.sweepIntervalMs ?? Math.min(HOUR, this.limits.retentionMs);
      this.timer = setInterval(() => void this.sweep(), every);
      this.timer.unref();
    }
  }

  private async scan(): Promise<void> {
    let sandboxes: string[] = [];
    try {
      sandboxes = await fs.promises.readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") this.opts.log?.warn({ err: e }, "cannot read the recordings dir");
      return;
    }
    for (const sid of sandboxes) {
      if (!SANDBOX_ID_RE.test(sid)) continue;
      const sdir = path.join(this.dir, sid);
      const owner = await readOwner(sdir);
      this.owners.set(sid, owner);
      for (const f of await fs.promises.readdir(sdir).catch(() => [])) {
        const tid = f.endsWith(".cast") ? f.slice(0, -5) : "";
        if (!TERMINAL_ID_RE.test(tid) || this.ledger.get(sid, tid)) continue;
        const st = await fs.promises.lstat(path.join(sdir, f)).catch(() => null);
        if (!st?.isFile()) continue;
        this.ledger.add({ sandboxId: sid, terminalId: tid, owner, bytes: st.size, mtimeMs: st.mtimeMs, live: false });
      }
    }
  }

  /** Starts the accounting of a new recording; the Recorder asks `reserve` before each write. */
  begin(sandboxId: string, terminalId: string, owner: string): RecordingQuota {
    try {
      this.writeOwner(sandboxId, owner);
    } catch (err) {
      // A full or failing disk costs the recording (the Recorder finds out too), never the Terminal.
      this.opts.log?.warn({ err, sandbox: sandboxId }, "could not write a recording's owner file");
    }
    this.ledger.add({ sandboxId, terminalId, owner, bytes: 0, mtimeMs: this.now(), live: true });
    return {
      reserve: (bytes) => {
        const r = this.ledger.reserve(sandboxId, terminalId, bytes, this.limits);
        if (!r.ok) return STOP_REASON[r.refusal];
        if (r.evicted.length > 0) void this.delete(r.evicted, "recordings quota full: oldest first");
        return null;
      },
      finish: (bytes) => {
        if (bytes === 0) this.ledger.remove(sandboxId, terminalId);
        else this.ledger.finish(sandboxId, terminalId, bytes, this.now());
      },
    };
  }

  /** A sandbox's recordings that are still on disk (or being written). */
  list(sandboxId: string): RecordingInfo[] {
    return this.ledger
      .ofSandbox(sandboxId)
      .map((e) => ({ terminalId: e.terminalId, bytes: e.bytes, modifiedAt: Math.round(e.mtimeMs), live: e.live }))
      .sort((a, b) => a.modifiedAt - b.modifiedAt || a.terminalId.localeCompare(b.terminalId));
  }

  usage(sandboxId: string, owner: string): { sandbox: number; owner: number; total: number } {
    return { sandbox: this.ledger.sandboxBytes(sandboxId), owner: this.ledger.ownerBytes(owner), total: this.ledger.total };
  }

  /** Deletes the finished recordings older than the retention period; resolves with their paths. */
  sweep(): Promise<string[]> {
    this.sweeping ??= (async () => {
      try {
        await this.refresh();
        const old = expiredRecordings(this.ledger.all(), this.now(), this.limits.retentionMs);
        for (const e of old) this.ledger.remove(e.sandboxId, e.terminalId);
        return await this.delete(old, "retention period over");
      } finally {
        this.sweeping = undefined;
      }
    })();
    return this.sweeping;
  }

  /** Re-reads size and age of the finished recordings (what is on disk is what counts). */
  private async refresh(): Promise<void> {
    for (const e of this.ledger.all()) {
      if (e.live) continue;
      const st = await fs.promises.lstat(recordingPath(this.opts.runnerDir, e.sandboxId, e.terminalId)).catch(() => null);
      const now = this.ledger.get(e.sandboxId, e.terminalId);
      if (!now || now.live) continue; // changed while we looked
      if (!st?.isFile()) this.ledger.remove(e.sandboxId, e.terminalId);
      else this.ledger.add({ ...now, bytes: st.size, mtimeMs: st.mtimeMs });
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async delete(entries: RecordingEntry[], why: string): Promise<string[]> {
    const gone: string[] = [];
    const dirs = new Set<string>();
    for (const e of entries) {
      const file = recordingPath(this.opts.runnerDir, e.sandboxId, e.terminalId);
      try {
        await fs.promises.unlink(file);
        gone.push(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "ENOENT") this.opts.log?.warn({ err, file }, "could not delete a recording");
      }
      dirs.add(e.sandboxId);
    }
    // A sandbox dir with nothing recorded left goes too (its owner file with it); synchronously, so
    // no Terminal can begin a recording there between the check and the removal.
    for (const sid of dirs) {
      if (this.ledger.ofSandbox(sid).length > 0) continue;
      this.owners.delete(sid);
      try {
        fs.rmSync(path.join(this.dir, sid), { recursive: true, force: true });
      } catch (err) {
        this.opts.log?.warn({ err, sandbox: sid }, "could not remove a recordings dir");
      }
    }
    if (gone.length > 0) this.opts.log?.info({ count: gone.length, reason: why }, `deleted ${gone.length} recording(s): ${why}`);
    return gone;
  }

  private writeOwner(sandboxId: string, owner: string): void {
    if (this.owners.get(sandboxId) === owner) return;
    const sdir = path.join(this.dir, sandboxId);
    fs.mkdirSync(sdir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(sdir, OWNER_FILE), JSON.stringify({ owner }) + "\n", { mode: 0o600 });
    this.owners.set(sandboxId, owner);
  }
}

async function readOwner(sandboxDir: string): Promise<string> {
  try {
    const v = JSON.parse(await fs.promises.readFile(path.join(sandboxDir, OWNER_FILE), "utf8")) as { owner?: unknown };
    return typeof v.owner === "string" ? v.owner : "";
  } catch {
    return ""; // recordings from before owners were kept: they count toward the total quota only
  }
}

/**
 * Where each learner's saved work lives between sandboxes: `<dir>/<sha256 of the owner>/` holds
 * `layer.tar.gz` (a Layer, see saved-layer.ts), `layer.json` (when it was saved, its digests) and
 * `notice.json` (why the last sandbox's files were not kept, until the learner is told). Caps: per
 * learner (the blob), all learners (the quota), retention days. A save that does not fit keeps the
 * older saved layer (nothing saved is lost) and leaves a notice.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Logger } from "pino";
import type { IdRange } from "../image/idmap";
import { restoreSavedLayer, SavedLayerTooBig, writeSavedLayer, type SavedLayerInfo } from "./saved-layer";

export type NotKeptReason = "too-big" | "quota" | "failed";

/** What the learner is told about their files when a sandbox starts (SandboxInfo fields). */
export interface SavedWorkNotice {
  /** ISO time the restored files were saved. */
  restoredFrom?: string;
  /** The last sandbox's files could not be kept: when it ended, why, and the cap that applied (MiB). */
  notKept?: { at: string; reason: NotKeptReason; limitMb?: number };
}

export interface SavedWorkOptions {
  dir: string;
  ids: IdRange;
  /** 0: nothing is saved. */
  maxBytesPerLearner: number;
  maxBytes: number;
  retentionMs: number;
  /** What a restore may unpack (the writable layer's own caps: it must fit there anyway). */
  restore: { maxBytes: number; maxMembers: number };
}

interface LayerMeta extends SavedLayerInfo {
  savedAt: string;
}

/** The dir name of an owner's saved work: a hash, so no owner string ever becomes a path. */
export function ownerKey(owner: string): string {
  return createHash("sha256").update(owner).digest("hex");
}

/** Whether a blob of `size` fits the quota beside the others' `othersBytes` (pure). */
export function fitsQuota(othersBytes: number, size: number, maxBytes: number): boolean {
  return othersBytes + size <= maxBytes;
}

/** Whether something saved at `savedAt` (ISO) is past retention at `now` (pure). */
export function isExpired(savedAt: string, now: number, retentionMs: number): boolean {
  const t = Date.parse(savedAt);
  return !Number.isFinite(t) || now - t > retentionMs;
}

export class SavedWorkStore {
  private readonly queues = new Map<string, Promise<unknown>>();
  /** The quota check and the rename that relies on it, one owner at a time (see save). */
  private quotaTurn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly o: SavedWorkOptions,
    private readonly log: Logger,
  ) {}

  get enabled(): boolean {
    return this.o.maxBytesPerLearner > 0;
  }

  private paths(owner: string) {
    const dir = path.join(this.o.dir, ownerKey(owner));
    return { dir, layer: path.join(dir, "layer.tar.gz"), meta: path.join(dir, "layer.json"), notice: path.join(dir, "notice.json") };
  }

  /** One operation at a time per owner (a save and the next sandbox's restore must not interleave). */
  private serial<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(owner) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.queues.set(owner, settled);
    void settled.then(() => {
      if (this.queues.get(owner) === settled) this.queues.delete(owner);
    });
    return next;
  }

  private async readMeta(owner: string): Promise<LayerMeta | undefined> {
    try {
      const m = JSON.parse(await readFile(this.paths(owner).meta, "utf8")) as LayerMeta;
      if (isExpired(m.savedAt, Date.now(), this.o.retentionMs)) return undefined;
      return m;
    } catch {
      return undefined;
    }
  }

  /** Whether a new sandbox of `owner` has something to restore or tell (then it bypasses the warm pool). */
  async pending(owner: string): Promise<boolean> {
    if (!this.enabled) return false;
    await this.queues.get(owner);
    const p = this.paths(owner);
    return (await this.readMeta(owner)) !== undefined || (await stat(p.notice).catch(() => undefined)) !== undefined;
  }

  /**
   * Saves `upperDir` (of a stopped sandbox) as `owner`'s work, replacing the older one. Never throws:
   * a failure leaves the older saved layer and a notice for the learner.
   */
  save(owner: string, upperDir: string): Promise<void> {
    if (!this.enabled || owner === "") return Promise.resolve();
    return this.serial(owner, async () => {
      const p = this.paths(owner);
      await mkdir(p.dir, { recursive: true, mode: 0o700 });
      const tmp = path.join(p.dir, `.tmp-${randomBytes(4).toString("hex")}`);
      const at = new Date().toISOString();
      const notKept = async (reason: NotKeptReason, limitMb?: number) => {
        await rm(tmp, { force: true });
        await writeFile(p.notice, JSON.stringify({ at, reason, ...(limitMb ? { limitMb } : {}) }));
      };
      try {
        const info = await writeSavedLayer(upperDir, this.o.ids, tmp, this.o.maxBytesPerLearner);
        // Other owners save at the same time (every sandbox at shutdown, timeouts together): checked
        // side by side, each would fit beside layers not yet in place, and together pass the quota.
        const fits = await this.inQuotaTurn(async () => {
          if (!fitsQuota(await this.othersBytes(owner), info.size, this.o.maxBytes)) return false;
          await rename(tmp, p.layer);
          return true;
        });
        if (!fits) {
          this.log.warn({ owner, bytes: info.size }, "saved work over SAVED_WORK_MAX_MB: this sandbox's files are not kept");
          return await notKept("quota");
        }
        await writeFile(p.meta, JSON.stringify({ savedAt: at, ...info } satisfies LayerMeta));
        await rm(p.notice, { force: true });
        this.log.info({ owner, bytes: info.size }, "saved the learner's work");
      } catch (e) {
        if (e instanceof SavedLayerTooBig) return notKept("too-big", Math.round(this.o.maxBytesPerLearner / 1024 / 1024));
        this.log.error({ err: e, owner }, "could not save the learner's work");
        await notKept("failed").catch(() => undefined);
      }
    });
  }

  private inQuotaTurn<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.quotaTurn.then(fn, fn);
    this.quotaTurn = next.catch(() => undefined);
    return next;
  }

  /** Bytes of every other owner's saved layer (the quota counts this owner's new one instead of its old). */
  private async othersBytes(owner: string): Promise<number> {
    const mine = ownerKey(owner);
    let total = 0;
    for (const key of await readdir(this.o.dir).catch(() => [] as string[])) {
      if (key === mine) continue;
      total += (await stat(path.join(this.o.dir, key, "layer.tar.gz")).catch(() => undefined))?.size ?? 0;
    }
    return total;
  }

  /**
   * Unpacks `owner`'s saved work into the new sandbox's empty `upperDir` and says what to tell the
   * learner (the notice is told once). A layer that does not unpack is removed, the upper dir emptied.
   */
  restore(owner: string, upperDir: string): Promise<SavedWorkNotice> {
    if (!this.enabled || owner === "") return Promise.resolve({});
    return this.serial(owner, async () => {
      const p = this.paths(owner);
      const out: SavedWorkNotice = {};
      try {
        const n = JSON.parse(await readFile(p.notice, "utf8")) as NonNullable<SavedWorkNotice["notKept"]>;
        if (!isExpired(n.at, Date.now(), this.o.retentionMs)) out.notKept = n;
      } catch {
        /* no notice */
      }
      await rm(p.notice, { force: true });
      const meta = await this.readMeta(owner);
      if (!meta) return out;
      try {
        await restoreSavedLayer(p.layer, upperDir, this.o.ids, this.o.restore);
        out.restoredFrom = meta.savedAt;
      } catch (e) {
        this.log.warn({ err: e, owner }, "saved work could not be restored: removed, the sandbox starts empty");
        await emptyDir(upperDir);
        await this.remove(p);
        out.notKept = { at: meta.savedAt, reason: "failed" };
      }
      return out;
    });
  }

  /** "Reset": the learner asked for a fresh sandbox, their saved work goes. */
  discard(owner: string): Promise<void> {
    if (owner === "") return Promise.resolve();
    return this.serial(owner, () => this.remove(this.paths(owner)));
  }

  private async remove(p: { dir: string }): Promise<void> {
    await rm(p.dir, { recursive: true, force: true });
  }

  /** Deletes what is past retention (at start and once a day). */
  async prune(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const key of await readdir(this.o.dir).catch(() => [] as string[])) {
      const dir = path.join(this.o.dir, key);
      const times: string[] = [];
      for (const f of ["layer.json", "notice.json"]) {
        const j = await readFile(path.join(dir, f), "utf8").catch(() => "");
        try {
          if (j) times.push(String((JSON.parse(j) as { savedAt?: string; at?: string }).savedAt ?? (JSON.parse(j) as { at?: string }).at));
        } catch {
          times.push(""); // unreadable: expired
        }
      }
      // No record yet: a save in flight made the dir.
      if (times.length > 0 && times.every((t) => isExpired(t, now, this.o.retentionMs))) {
        await rm(dir, { recursive: true, force: true });
        removed++;
      }
    }
    return removed;
  }
}

async function emptyDir(dir: string): Promise<void> {
  for (const e of await readdir(dir).catch(() => [] as string[])) await rm(path.join(dir, e), { recursive: true, force: true });
}

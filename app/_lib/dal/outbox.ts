import fs from "node:fs";
import path from "node:path";

/**
 * A durable queue of records the database could not take right now (busy, locked, read-only):
 * one JSON line per record in `<dir>/<kind>-<date>.jsonl`, fsynced before the learner is told
 * "kept". A flush claims a file by renaming it to `.flushing` (so records kept meanwhile go to a
 * fresh file and are never overwritten), writes each record, and puts back only those that failed.
 * A crash mid-flush leaves the `.flushing` file, which the next flush picks up: a record may then
 * be written twice, so writers must be idempotent (attempts carry their own primary key).
 */
export class OutboxFullError extends Error {
  constructor(dir: string, cause: unknown) {
    super(
      `The server could not keep your record: writing to ${dir} failed (${(cause as NodeJS.ErrnoException)?.code ?? String(cause)}). ` +
        "The disk is probably full: ask the course administrator to free space, then try again.",
    );
    this.name = "OutboxFullError";
  }
}

export type WriteOutcome = "written" | "retry" | "reject";

export class Outbox<T> {
  private flushing: Promise<{ written: number; left: number; rejected: number }> | null = null;

  constructor(
    readonly dir: string,
    readonly kind: string,
  ) {}

  /** Appends the record and fsyncs it; throws OutboxFullError when it could not be kept. */
  keep(record: T, now: Date = new Date()): void {
    try {
      fs.mkdirSync(this.dir, { recursive: true });
      appendDurably(path.join(this.dir, `${this.kind}-${now.toISOString().slice(0, 10)}.jsonl`), [record]);
    } catch (e) {
      throw new OutboxFullError(this.dir, e);
    }
  }

  /** Records waiting (including a half-done flush's). */
  pending(): T[] {
    return this.files().flatMap((f) => readLines<T>(f));
  }

  size(): number {
    return this.pending().length;
  }

  /**
   * Writes every kept record with `write`: "written" drops it, "retry" keeps it (the database is
   * still unavailable: the rest wait too), "reject" moves it to `<kind>-rejected.jsonl` (it can
   * never be written, e.g. its user was deleted) so it cannot block the queue. One flush at a time.
   */
  flush(write: (r: T) => Promise<WriteOutcome>): Promise<{ written: number; left: number; rejected: number }> {
    this.flushing ??= this.doFlush(write).finally(() => (this.flushing = null));
    return this.flushing;
  }

  private async doFlush(write: (r: T) => Promise<WriteOutcome>) {
    let written = 0;
    let rejected = 0;
    const left: T[] = [];
    for (const file of this.files()) {
      const claimed = file.endsWith(".flushing") ? file : `${file}.flushing`;
      if (claimed !== file) fs.renameSync(file, claimed);
      const rest: T[] = [];
      const bad: T[] = [];
      let stop = false;
      for (const r of readLines<T>(claimed)) {
        if (stop) {
          rest.push(r);
          continue;
        }
        const outcome = await write(r).catch(() => "retry" as const);
        if (outcome === "written") written++;
        else if (outcome === "reject") bad.push(r);
        else {
          rest.push(r);
          stop = true; // the database is still down: do not hammer it with the rest
        }
      }
      if (bad.length) appendDurably(path.join(this.dir, `${this.kind}-rejected.jsonl`), bad);
      rejected += bad.length;
      // Put back what is left before dropping the claimed file: a crash between the two doubles, never loses.
      if (rest.length) appendDurably(claimed.replace(/\.flushing$/, ""), rest);
      fs.rmSync(claimed, { force: true });
      left.push(...rest);
    }
    return { written, left: left.length, rejected };
  }

  private files(): string[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.dir);
    } catch {
      return [];
    }
    const mine = new RegExp(`^${this.kind}-\\d{4}-\\d{2}-\\d{2}\\.jsonl(\\.flushing)?$`);
    return names
      .filter((n) => mine.test(n))
      .sort()
      .map((n) => path.join(this.dir, n));
  }
}

function appendDurably(file: string, records: unknown[]): void {
  const fd = fs.openSync(file, "a", 0o600);
  try {
    fs.writeSync(fd, records.map((r) => JSON.stringify(r) + "\n").join(""));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function readLines<T>(file: string): T[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const out: T[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch {
      // A line torn by a crash mid-append (never fsynced, so never reported as kept): skip it.
    }
  }
  return out;
}

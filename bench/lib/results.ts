/** The shape of bench/results.json: one key per figure, the baseline's figure beside the product's. */
import { ratio, roundSummary, summarize, type Summary } from "./stats";

export type Better = "lower" | "higher";
export type Stat = Record<keyof Summary, number | null>;

export interface Side {
  name: string;
  /** Summary of the samples (p50/p99 are what the table shows). */
  stat: Stat;
  extra?: Record<string, unknown>;
}

export interface Figure {
  title: string;
  unit: string;
  better: Better;
  status: "measured" | "not measured";
  reason?: string;
  product?: Side;
  baseline?: Side;
  /** product p50 / baseline p50 (for "higher is better" figures: product / baseline as well). */
  ratio?: number | null;
  goal: string;
  met?: boolean | null;
  notes?: string;
  /** Start of the run that measured it (a `--merge` run keeps older figures). */
  measuredAt?: string;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  rounds: number;
  machine: Record<string, unknown>;
  loadavg: { before: number[]; after: number[] };
  figures: Record<string, Figure>;
}

export function side(name: string, samples: number[], extra?: Record<string, unknown>): Side {
  return { name, stat: roundSummary(summarize(samples)), ...(extra ? { extra } : {}) };
}

export function measured(f: Omit<Figure, "status" | "ratio"> & { product: Side; baseline?: Side }): Figure {
  const r = f.baseline ? ratio(f.product.stat.p50 ?? Number.NaN, f.baseline.stat.p50 ?? Number.NaN) : Number.NaN;
  return { ...f, status: "measured", ratio: Number.isFinite(r) ? r : null };
}

export function notMeasured(title: string, unit: string, goal: string, reason: string): Figure {
  return { title, unit, better: "lower", status: "not measured", reason, goal };
}

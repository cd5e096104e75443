export interface TimingRow {
  name: string;
  background: boolean;
  startMs: number;
  endMs: number | undefined;
  ok: boolean | undefined;
}
export function createTimings(now?: () => number): {
  rows: TimingRow[];
  origin: number;
  start(name: string, opts?: { background?: boolean }): (ok?: boolean) => void;
  elapsed(): number;
};
export function formatTimings(rows: TimingRow[], totalMs: number): string;

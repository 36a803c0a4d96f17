/**
 * Benchmark harness: medians of many timed runs, reported as a table and as JSON.
 *
 * Methodology: each case runs `warmup` untimed iterations, then `samples` timed samples; a
 * sample times `inner` back-to-back calls (so sub-microsecond work is measurable) and records
 * the per-call time. The reported figure is the median per-call time in microseconds, with the
 * median absolute deviation (MAD) as spread. Never used in unit tests.
 * @module
 */
import { performance } from "node:perf_hooks";

/** One measured operation. Times in microseconds (µs) per call. */
export interface Measurement {
  name: string;
  /** Where it ran: `wasm`, `native` or `noble` (the pure-TS reference). */
  impl: "wasm" | "native" | "noble";
  medianUs: number;
  madUs: number;
  samples: number;
  /** Calls timed together in one sample. */
  inner: number;
}

/** Options for {@link measure}. */
export interface MeasureOptions {
  samples?: number;
  warmup?: number;
  inner?: number;
}

/** Median of a non-empty list. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Times `fn` and returns its median per-call time (µs) over `samples` samples. */
export function measure(name: string, impl: Measurement["impl"], fn: () => unknown, opts: MeasureOptions = {}): Measurement {
  const { samples = 30, warmup = 3, inner = 1 } = opts;
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t0 = performance.now();
    for (let i = 0; i < inner; i++) fn();
    times.push(((performance.now() - t0) * 1000) / inner);
  }
  const med = median(times);
  return { name, impl, medianUs: med, madUs: median(times.map((t) => Math.abs(t - med))), samples, inner };
}

/** Formats a duration in µs with a sensible unit. */
export function fmtUs(us: number): string {
  if (us >= 1e6) return `${(us / 1e6).toFixed(2)} s`;
  if (us >= 1e3) return `${(us / 1e3).toFixed(2)} ms`;
  return `${us.toFixed(1)} µs`;
}

/** Prints rows as an aligned plain-text table. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

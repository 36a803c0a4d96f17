/**
 * Benchmark harness: medians of many timed runs, reported as a table and as JSON.
 *
 * Methodology: each case runs `warmup` untimed iterations, then `samples` timed samples; a
 * sample times `inner` back-to-back calls (so sub-microsecond work is measurable) and records
 * the per-call time. The reported figure is the median per-call time in microseconds, with the
 * median absolute deviation (MAD) as spread, and the minimum and 25th percentile next to it: the
 * machine is shared, and other work only ever adds time, so the low quantiles are the steadier
 * figures. Variants compared with each other run interleaved in one process ({@link interleave}:
 * A B A B …) so drifting background load hits them alike. Never used in unit tests.
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
  /** Fastest sample (µs per call). */
  minUs?: number;
  /** 25th percentile of the samples (µs per call). */
  p25Us?: number;
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
  return { name, impl, medianUs: med, madUs: median(times.map((t) => Math.abs(t - med))), minUs: Math.min(...times), p25Us: quantile(times, 0.25), samples, inner };
}

/** The `q`-quantile (0..1) of a non-empty list, linear interpolation between order statistics. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (s[lo] as number) + ((s[hi] as number) - (s[lo] as number)) * (pos - lo);
}

/** Median, minimum, 25th and 75th percentile and maximum of samples (any unit). */
export interface Summary {
  n: number;
  median: number;
  min: number;
  p25: number;
  p75: number;
  max: number;
}

/** {@link Summary} of a non-empty list. */
export function summarize(xs: readonly number[]): Summary {
  return { n: xs.length, median: median(xs), min: Math.min(...xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), max: Math.max(...xs) };
}

/**
 * Runs compared variants interleaved, A B A B …: `rounds` rounds, each running every variant
 * once in the given order (after `warmup` untimed rounds). Each run returns its own figure
 * (e.g. µs per item, or items/s). Returns every variant's samples and their {@link Summary}.
 */
export async function interleave<K extends string>(variants: Record<K, () => Promise<number> | number>, rounds: number, warmup = 1): Promise<Record<K, { samples: number[]; summary: Summary }>> {
  const names = Object.keys(variants) as K[];
  for (let r = 0; r < warmup; r++) for (const k of names) await variants[k]();
  const samples = Object.fromEntries(names.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let r = 0; r < rounds; r++) for (const k of names) samples[k].push(await variants[k]());
  return Object.fromEntries(names.map((k) => [k, { samples: samples[k], summary: summarize(samples[k]) }])) as Record<K, { samples: number[]; summary: Summary }>;
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

/**
 * Sums the ring-member caches of the validation threads into the node's metrics
 * (`baios_ring_cache_hits_total`, `baios_ring_cache_misses_total`, `baios_ring_cache_entries`).
 * Each thread (worker or the main thread when validating inline) has its own WebAssembly instance
 * and cache (crypto-wasm/src/ring_cache.rs) and reports its cumulative counters; this turns them
 * into monotonic counters by adding the increase since that thread's previous report.
 * @module
 */
import type { NodeMetrics } from "./metrics.ts";

/** One thread's cumulative counters: `[hits, misses, entries]` (as `ringCacheStats()` gives them). */
export type RingCacheReport = readonly [hits: number, misses: number, entries: number];

/** Folds per-thread cumulative ring-cache counters into the node's metrics. */
export class RingCacheMetrics {
  readonly #last = new Map<unknown, RingCacheReport>();
  readonly #metrics: NodeMetrics | undefined;

  constructor(metrics: NodeMetrics | undefined) {
    this.#metrics = metrics;
  }

  /** Records `source`'s latest report (`source`: any key naming one thread, e.g. its Worker). */
  report(source: unknown, r: RingCacheReport): void {
    const prev = this.#last.get(source) ?? [0, 0, 0];
    this.#last.set(source, r);
    // A counter below its previous value means that thread's cache was reset: count from zero.
    const inc = (now: number, before: number): number => (now >= before ? now - before : now);
    this.#metrics?.ringCacheHits.inc(inc(r[0], prev[0]));
    this.#metrics?.ringCacheMisses.inc(inc(r[1], prev[1]));
    this.#setEntries();
  }

  /** Forgets a thread that exited (its entries are gone; its counts stay counted). */
  drop(source: unknown): void {
    this.#last.delete(source);
    this.#setEntries();
  }

  /** Sums over the threads reporting now. */
  get totals(): { hits: number; misses: number; entries: number } {
    let hits = 0;
    let misses = 0;
    let entries = 0;
    for (const r of this.#last.values()) [hits, misses, entries] = [hits + r[0], misses + r[1], entries + r[2]];
    return { hits, misses, entries };
  }

  #setEntries(): void {
    this.#metrics?.ringCacheEntries.set(this.totals.entries);
  }
}

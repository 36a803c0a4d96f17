/**
 * Size simulation of the cascade rule with random PoW levels (docs/cascade.md §2.2): runs the
 * same {@link LevelQueues} rule as {@link Cascade} on bare levels, so that 10^8 blocks take
 * seconds. Levels follow the distribution of honest PoW: `P(level ≥ i) = 2^−i` (the count of
 * leading zero bits of a uniform 32-bit word, capped at `levels − 1`); blocks all have the same
 * target, so work is counted in blocks.
 * @module
 */
import { cascadeNodeBytes } from "./codec.ts";
import type { CascadeParams } from "./params.ts";
import { LevelQueues } from "./queues.ts";

/** Result of {@link simulateCascade}. */
export interface CascadeSimulation {
  /** Blocks added. */
  readonly blocks: number;
  /** Headers kept at the end (≤ levels × K). */
  readonly kept: number;
  /** The largest number of headers kept at any time. */
  readonly maxKept: number;
  /** Headers kept per level at the end, level 0 first (trailing empty levels omitted). */
  readonly levelSizes: readonly number[];
  /** Bytes of the encoded cascade at the end: `10 + kept · (1 + 488 + 40 · levels)`. */
  readonly bytes: number;
  /** The cascade's work estimate in blocks: `Σ 2^level` over kept headers. */
  readonly estimate: number;
  /** `estimate / blocks`. */
  readonly ratio: number;
  /** The smallest and largest `estimate / blocks` seen at the checkpoints. */
  readonly minRatio: number;
  readonly maxRatio: number;
}

/** A seeded xorshift32 stream of uniform 32-bit words (never 0). */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/**
 * Adds `blocks` blocks with random levels to an empty cascade and reports its size.
 * @param checkpoints how many evenly spaced points (after the first K blocks) sample `minRatio`/`maxRatio`
 */
export function simulateCascade(blocks: number, params: Pick<CascadeParams, "levels" | "perLevel">, seed = 1, checkpoints = 1000): CascadeSimulation {
  const { levels, perLevel } = params;
  const q = new LevelQueues<number>(levels, perLevel, (l) => l);
  const rnd = xorshift32(seed);
  const cap = levels - 1;
  let maxKept = 0;
  let estimate = 0; // Σ 2^level of kept items, updated on every move
  let minRatio = Infinity;
  let maxRatio = 0;
  const step = Math.max(1, Math.floor(blocks / checkpoints));
  // the estimate Σ 2^level, kept incrementally: +1 per block, +2^i per move i → i + 1, −2^i per drop at i
  const hooks = {
    onMove: (_: number, from: number): void => void (estimate += 2 ** from),
    onDrop: (_: number, from: number): void => void (estimate -= 2 ** from),
  };
  for (let b = 1; b <= blocks; b++) {
    const z = Math.clz32(rnd());
    estimate += 1;
    q.push(z > cap ? cap : z, 0, hooks);
    if (q.count > maxKept) maxKept = q.count;
    if (b % step === 0 && b > perLevel) {
      const r = estimate / b;
      if (r < minRatio) minRatio = r;
      if (r > maxRatio) maxRatio = r;
    }
  }
  const levelSizes: number[] = [];
  for (let l = 0; l < levels; l++) levelSizes.push(q.sizeOf(l));
  while (levelSizes.length > 0 && levelSizes[levelSizes.length - 1] === 0) levelSizes.pop();
  return { blocks, kept: q.count, maxKept, levelSizes, bytes: 10 + q.count * cascadeNodeBytes(levels), estimate, ratio: estimate / blocks, minRatio, maxRatio };
}

/**
 * Decoy selection: Monero's gamma picker (wallet2 `gamma_picker`, Moser et al. 2018 §6) adapted
 * to BAIOS (docs/wallet.md §5).
 *
 * A spend age is drawn as `x = exp(Gamma(shape 19.28, scale 1/1.61))` seconds (the fit on
 * ln(seconds) of real spend ages). Monero then subtracts DEFAULT_UNLOCK_TIME (10 blocks × 120 s),
 * because its outputs are locked for 10 blocks, and redraws values inside the lock uniformly in
 * a recent-spend window. BAIOS outputs are spendable as soon as they are finalized, so the
 * adaptation is `unlockTime = 0` (no shift; the recent-window branch is kept for generality and
 * never taken when unlockTime is 0) and the distribution is cut at the last *finalized* block,
 * not 10 blocks before the tip. The age is converted to an output by the average time between
 * outputs over the last year of blocks (`blockTime × blocks / outputs`, block time 10 s on
 * mainnet), counted back from the newest spendable output, and the output is then chosen
 * uniformly inside the block that holds that position.
 *
 * Two known bug classes are avoided by construction and covered by property tests:
 * - the newest spendable outputs are selectable (age 0 maps to the newest output and its block;
 *   we locate the block with an upper bound, `offsets[b] > g`, where wallet2's `lower_bound`
 *   attributes position g to the previous block whenever `offsets[b] == g`);
 * - no age bucket is skipped: every block with at least one output receives a non-empty interval
 *   of ages, so every spendable output has a positive probability.
 * @module
 */

/** Parameters of the gamma picker (docs/wallet.md §5; Monero wallet2 `gamma_picker`); BAIOS values from {@link decoyParams}. */
export interface DecoyParams {
  /** Gamma shape on ln(seconds). Monero: 19.28. */
  shape: number;
  /** Gamma scale on ln(seconds). Monero: 1/1.61. */
  scale: number;
  /** Target seconds between blocks (10 s mainnet; the devnet passes its own). */
  blockTime: number;
  /** Seconds subtracted from a drawn age (Monero: 1200 = 10 blocks × 120 s; BAIOS: 0). */
  unlockTime: number;
  /** Ages not above `unlockTime` are redrawn uniformly in [0, recentSpendWindow) seconds. */
  recentSpendWindow: number;
  /** How many blocks back the average output time is measured (one year of blocks). */
  blocksToConsider: number;
}

/** Gamma shape of the spend-age fit on ln(seconds): Monero wallet2 `GAMMA_SHAPE` (Möser et al. 2018). */
export const MONERO_SHAPE = 19.28;
/** Gamma scale of the spend-age fit on ln(seconds): Monero wallet2 `GAMMA_SCALE` = 1/1.61. */
export const MONERO_SCALE = 1 / 1.61;
/** Mainnet target block time in seconds (`blockTimeMs` 10 000, docs/protocol.md §2). */
export const BLOCK_TIME_SECONDS = 10;

/** BAIOS gamma-picker parameters for a block time in seconds (default 10): Monero's shape and scale, `unlockTime` 0 (outputs are spendable once final), a 15-block recent-spend window, and one 365-day year of blocks for the average output time. */
export function decoyParams(blockTime: number = BLOCK_TIME_SECONDS): DecoyParams {
  return {
    shape: MONERO_SHAPE,
    scale: MONERO_SCALE,
    blockTime,
    unlockTime: 0,
    recentSpendWindow: 15 * blockTime,
    blocksToConsider: Math.max(1, Math.floor((86400 * 365) / blockTime)),
  };
}

/** A source of uniform doubles in [0, 1). */
export type Rng = () => number;

/** Cryptographically secure uniform double in [0, 1) (53 random bits). */
export const secureRng: Rng = () => {
  const w = new Uint32Array(2);
  crypto.getRandomValues(w);
  return ((w[0]! >>> 5) * 67108864 + (w[1]! >>> 6)) / 9007199254740992;
};

/** Uniform integer in [0, n). */
export const randInt = (rng: Rng, n: number): number => Math.min(n - 1, Math.floor(rng() * n));

function normal(rng: Rng): number {
  let u = 0;
  while (u === 0) u = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** Gamma(shape, scale) by Marsaglia–Tsang (shape ≥ 1). */
export function sampleGamma(rng: Rng, shape: number, scale: number): number {
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = normal(rng);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = rng();
    if (u > 0 && Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
  }
}

/**
 * The output distribution the picker works on: `offsets[h]` = number of outputs in blocks
 * `0..=h` (cumulative, as Monero's `rct_offsets`), cut at the newest spendable block.
 */
export class GammaPicker {
  readonly offsets: readonly number[];
  readonly params: DecoyParams;
  readonly numOutputs: number;
  readonly averageOutputTime: number;

  constructor(offsets: readonly number[], params: DecoyParams) {
    if (offsets.length === 0) throw new Error("empty output distribution");
    for (let i = 1; i < offsets.length; i++) if (offsets[i]! < offsets[i - 1]!) throw new Error("output distribution must be cumulative");
    this.offsets = offsets;
    this.params = params;
    this.numOutputs = offsets[offsets.length - 1]!;
    if (this.numOutputs <= 0) throw new Error("no spendable outputs");
    const n = offsets.length;
    const blocks = Math.min(n, params.blocksToConsider);
    const outputs = this.numOutputs - (blocks < n ? offsets[n - blocks - 1]! : 0);
    // outputs ≥ 1 unless the considered window is empty; fall back to the whole chain then.
    this.averageOutputTime = outputs > 0 ? (params.blockTime * blocks) / outputs : (params.blockTime * n) / this.numOutputs;
  }

  /** The block holding global output index `g` (first b with offsets[b] > g). */
  blockOf(g: number): number {
    let lo = 0;
    let hi = this.offsets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]! > g) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** First global index and count of outputs in block `b`. */
  blockRange(b: number): { first: number; count: number } {
    const first = b === 0 ? 0 : this.offsets[b - 1]!;
    return { first, count: this.offsets[b]! - first };
  }

  /** The block an age (seconds, after the unlock adjustment) falls into, or undefined if older than the chain. */
  blockForAge(ageSeconds: number): number | undefined {
    const fromTop = Math.floor(ageSeconds / this.averageOutputTime);
    if (!(fromTop >= 0) || fromTop >= this.numOutputs) return undefined;
    return this.blockOf(this.numOutputs - 1 - fromTop);
  }

  /** The age adjustment: Monero's unlock-time shift and recent-spend window. */
  adjustAge(x: number, rng: Rng): number {
    const p = this.params;
    return x > p.unlockTime ? x - p.unlockTime : rng() * p.recentSpendWindow;
  }

  /** One pick: a global output index, or undefined for a bad pick (too old). */
  pick(rng: Rng): number | undefined {
    const x = Math.exp(sampleGamma(rng, this.params.shape, this.params.scale));
    const b = this.blockForAge(this.adjustAge(x, rng));
    if (b === undefined) return undefined;
    const { first, count } = this.blockRange(b);
    return count === 0 ? undefined : first + randInt(rng, count);
  }
}

/** The result of {@link selectRing}. */
export interface DecoySelection {
  /** Sorted ring of global indices, real ones included. */
  ring: number[];
  /** How many members came from the uniform fallback (young chains). */
  fallback: number;
}

/**
 * Chooses `ringSize − 1` distinct decoys for the real output `real` (a global index below the
 * picker's `numOutputs`) and returns the sorted ring. On a chain so young that the gamma draws
 * rarely land inside it (a fresh devnet), after `maxTries` bad picks the remaining members are
 * drawn uniformly from the spendable outputs, and `fallback` says how many.
 * @throws when fewer than `ringSize` spendable outputs exist
 */
export function selectRing(picker: GammaPicker, real: number, ringSize: number, rng: Rng = secureRng, opts: { exclude?: ReadonlySet<number>; maxTries?: number } = {}): DecoySelection {
  const exclude = opts.exclude ?? new Set<number>();
  if (real < 0 || real >= picker.numOutputs) throw new Error(`output ${real} is not spendable yet`);
  const candidates = picker.numOutputs - [...exclude].filter((g) => g < picker.numOutputs && g !== real).length;
  if (candidates < ringSize) throw new Error(`not enough outputs on chain for a ring of ${ringSize} (have ${candidates})`);
  const chosen = new Set<number>([real]);
  const maxTries = opts.maxTries ?? 200 * ringSize;
  let tries = 0;
  while (chosen.size < ringSize && tries < maxTries) {
    tries++;
    const g = picker.pick(rng);
    if (g === undefined || chosen.has(g) || exclude.has(g)) continue;
    chosen.add(g);
  }
  let fallback = 0;
  while (chosen.size < ringSize) {
    const g = randInt(rng, picker.numOutputs);
    if (chosen.has(g) || exclude.has(g)) continue;
    chosen.add(g);
    fallback++;
  }
  return { ring: [...chosen].sort((a, b) => a - b), fallback };
}

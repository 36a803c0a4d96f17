/**
 * The exact integer emission schedule (docs/protocol.md §12). No floating point.
 *
 * Whitepaper §4.3: `R(t) = R0·e^(−λt)` is the emission of year `t + 1` (R0 = 3 906 000 000 BAI,
 * the year-1 figure; λ = 0.223), then a tail emission after year 10, all under the hard cap of
 * 21·10^9 BAI including the 7 % premine.
 *
 * Main phase (days 0..3649 = years 1..10, height `h ≥ 1` is in day `⌊(h−1)/8640⌋`): every block of
 * day `d` pays `r_d` atomic units with
 * `r_0 = INITIAL_BLOCK_REWARD = ⌊R0·(1−q)/((1−q^365)·8640)⌋` and `r_{d+1} = ⌊r_d·Q / 2^64⌋`,
 * `Q = DAILY_DECAY_Q64 = ⌊2^64·e^(−0.223/365)⌋` (pinned; the tests recompute both with bigint
 * arithmetic at 2^−256 precision). So year k emits `R0·e^(−λ(k−1))` to within 10^−5 relative.
 *
 * Tail (day 3650 on): with `S10` the supply after year 10 (premine + main phase), the tail
 * starts at 1 % of `S10` per year — the whitepaper's floor of "1–2 % of circulating supply" —
 * `t_0 = ⌊S10 / 100 / 3 153 600⌋` per block, and decays daily by
 * `Qt = 2^64 − ⌈2^64·8640·t_0 / (CAP − S10)⌉`, the factor whose geometric series sums to the
 * room left under the cap. `t_{d+1} = ⌊t_d·Qt / 2^64⌋`; it reaches 0 after ~163 years.
 * A final clip makes a day's reward never exceed the room left, so the cap holds by construction.
 * @module
 */
import { ATOMIC_UNITS_PER_BAI, BLOCKS_PER_DAY, BLOCKS_PER_YEAR, DAYS_PER_YEAR, MAX_SUPPLY } from "./constants.ts";

/** R0: year-1 emission, atomic units (3 906 000 000 BAI). */
export const R0_ATOMIC = 3_906_000_000n * ATOMIC_UNITS_PER_BAI;
/** λ in thousandths (λ = 0.223 per year). */
export const LAMBDA_MILLI = 223n;
/** Days of the main (exponential) phase: 10 years of 365 days = 3650. */
export const MAIN_PHASE_DAYS = 10n * DAYS_PER_YEAR;
/** `⌊2^64·e^(−0.223/365)⌋`: the daily decay factor in 64-bit fixed point (pinned). */
export const DAILY_DECAY_Q64 = 18435477313280153082n;
/** Block reward of day 0, atomic units (≈ 1381.39 BAI; pinned). */
export const INITIAL_BLOCK_REWARD = 138_139_316_180n;
/** Treasury premine: 5 % of the cap = 1 050 000 000 BAI, atomic units. */
export const TREASURY_PREMINE = 1_050_000_000n * ATOMIC_UNITS_PER_BAI;
/** Founders premine: 2 % of the cap = 420 000 000 BAI, atomic units (vests over 5 years). */
export const FOUNDERS_PREMINE = 420_000_000n * ATOMIC_UNITS_PER_BAI;
/** Total premine: 7 % of the cap = 1 470 000 000 BAI, atomic units. The genesis may not exceed it. */
export const PREMINE_TOTAL = TREASURY_PREMINE + FOUNDERS_PREMINE;
/** Maximum mined emission: cap − premine, atomic units (19.53·10^9 BAI). */
export const MINED_CAP = MAX_SUPPLY - PREMINE_TOTAL;

const ONE_Q64 = 1n << 64n;

// day tables: per-block reward of day d, and mined emission before day d
const dayReward: bigint[] = [];
const cumBefore: bigint[] = [0n];
/** Index of the first day whose reward is 0 (the schedule ends), once known. */
let endDay: number | undefined;

function pushDay(r: bigint): void {
  const before = cumBefore[cumBefore.length - 1] as bigint;
  const room = MINED_CAP - before;
  let reward = r;
  if (reward * BLOCKS_PER_DAY > room) reward = room / BLOCKS_PER_DAY; // the cap clip
  dayReward.push(reward);
  cumBefore.push(before + reward * BLOCKS_PER_DAY);
  if (reward === 0n && endDay === undefined) endDay = dayReward.length - 1;
}

// main phase, eagerly (3650 multiplications)
{
  let r = INITIAL_BLOCK_REWARD;
  for (let d = 0n; d < MAIN_PHASE_DAYS; d++) {
    pushDay(r);
    r = (r * DAILY_DECAY_Q64) >> 64n;
  }
}

/** Supply after year 10, atomic units: premine + main-phase emission. */
export const SUPPLY_AFTER_MAIN_PHASE: bigint = PREMINE_TOTAL + (cumBefore[Number(MAIN_PHASE_DAYS)] as bigint);
/** Tail block reward of its first day: 1 % per year of {@link SUPPLY_AFTER_MAIN_PHASE}, per block. */
export const TAIL_INITIAL_BLOCK_REWARD: bigint = SUPPLY_AFTER_MAIN_PHASE / 100n / BLOCKS_PER_YEAR;
/** Daily tail decay factor (64-bit fixed point): `2^64 − ⌈2^64·8640·t_0 / (CAP − S10)⌉`. */
export const TAIL_DECAY_Q64: bigint = (() => {
  const num = ONE_Q64 * BLOCKS_PER_DAY * TAIL_INITIAL_BLOCK_REWARD;
  const room = MAX_SUPPLY - SUPPLY_AFTER_MAIN_PHASE;
  return ONE_Q64 - (num + room - 1n) / room;
})();

let tailNext = TAIL_INITIAL_BLOCK_REWARD;
/** Extends the table up to and including `day` (lazily; stops at the end of emission). */
function ensureDay(day: number): void {
  while (dayReward.length <= day && endDay === undefined) {
    pushDay(tailNext);
    tailNext = (tailNext * TAIL_DECAY_Q64) >> 64n;
  }
}

function rewardOfDay(day: bigint): bigint {
  if (endDay !== undefined && day >= BigInt(endDay)) return 0n;
  if (day > 1_000_000n) {
    ensureDay(1_000_000); // emission provably ends long before (~60 000 tail days)
    if (endDay !== undefined) return 0n;
  }
  ensureDay(Number(day));
  return dayReward[Number(day)] ?? 0n;
}

function emittedBeforeDay(day: bigint): bigint {
  if (endDay !== undefined && day >= BigInt(endDay)) return cumBefore[endDay] as bigint;
  rewardOfDay(day);
  if (endDay !== undefined && day >= BigInt(endDay)) return cumBefore[endDay] as bigint;
  return cumBefore[Number(day)] as bigint;
}

/**
 * Block reward of block `height`, atomic units. Genesis (height 0) has none (its outputs are
 * the premine); block `h ≥ 1` belongs to day `⌊(h−1)/8640⌋`.
 * @throws RangeError for a negative height
 */
export function blockReward(height: bigint): bigint {
  if (height < 0n) throw new RangeError("negative height");
  if (height === 0n) return 0n;
  return rewardOfDay((height - 1n) / BLOCKS_PER_DAY);
}

/**
 * Mined emission of all blocks with height `< height`, atomic units (premine excluded).
 * O(1) after the day table is built.
 */
export function emittedBefore(height: bigint): bigint {
  if (height < 0n) throw new RangeError("negative height");
  if (height <= 1n) return 0n;
  const i = height - 1n; // blocks 1..height-1 → indices 0..i-1
  const day = i / BLOCKS_PER_DAY;
  const within = i % BLOCKS_PER_DAY;
  return emittedBeforeDay(day) + within * rewardOfDay(day);
}

/** Total supply after block `height` (premine + mined emission of blocks ≤ height), atomic units. */
export function supplyAfter(height: bigint): bigint {
  return PREMINE_TOTAL + emittedBefore(height + 1n);
}

/** Emission of year `year` (1-based: blocks of days 365·(year−1) .. 365·year−1), atomic units. */
export function yearEmission(year: number): bigint {
  const d0 = BigInt(year - 1) * DAYS_PER_YEAR;
  return emittedBeforeDay(d0 + DAYS_PER_YEAR) - emittedBeforeDay(d0);
}

/** Total mined emission over all time, atomic units (≤ {@link MINED_CAP}). Builds the whole table (~60 000 days). */
export function totalMinedEmission(): bigint {
  ensureDay(1_000_000);
  return cumBefore[endDay ?? cumBefore.length - 1] as bigint;
}

/**
 * Parameters of the cascading superblock chain (docs/cascade.md §2; issue 9; Minima's cascade).
 *
 * - `levels`: superblock levels kept, 0 ..= levels − 1; a header's level is capped at
 *   `levels − 1` ({@link superLevel}). Mainnet: {@link CASCADE_LEVELS} = 32.
 * - `perLevel`: K, the most headers kept at one level. Mainnet: {@link CASCADE_PER_LEVEL} = 64.
 * - `depth`: D in blocks; headers at heights ≤ tip − D leave the recent window and enter the
 *   cascade. Mainnet: {@link CASCADE_DEPTH} = unbondingDelay + epochLength = 9 000 blocks (25 h).
 * Why these numbers (and the sizes they give): docs/cascade.md §2.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import type { StakingParams } from "../staking/params.ts";

/** Superblock levels kept by the cascade: 32 (levels 0 ..= 31). */
export const CASCADE_LEVELS = 32;

/** K: the most headers kept at one cascade level: 64. */
export const CASCADE_PER_LEVEL = 64;

/** D: cascade depth in blocks (9 000 = mainnet unbondingDelay 8 640 + epochLength 360, ≈ 25 h at 10 s). */
export const CASCADE_DEPTH = 9_000n;

/** Cascade parameters (docs/cascade.md §2). */
export interface CascadeParams {
  /** Levels kept, 1 ..= 64 (a level fits a u8 and powLevel caps at 63). */
  readonly levels: number;
  /** K, headers per level, 1 ..= 65 535. */
  readonly perLevel: number;
  /** D, blocks kept in full below the tip before a header enters the cascade (≥ 1). */
  readonly depth: bigint;
}

/** The mainnet parameters: 32 levels × 64 headers, 9 000 blocks deep. */
export const MAINNET_CASCADE_PARAMS: CascadeParams = Object.freeze({ levels: CASCADE_LEVELS, perLevel: CASCADE_PER_LEVEL, depth: CASCADE_DEPTH });

/**
 * The cascade depth a staking configuration needs: `unbondingDelay + epochLength` blocks, so that
 * every header evidence may still refer to (evidence is accepted up to `unbondingDelay` blocks
 * after the offence, docs/consensus.md §3, §5) and the epoch boundary that fixed its validator
 * set are still in the recent window, never only in the cascade.
 */
export function cascadeDepthFor(staking: Pick<StakingParams, "unbondingDelay" | "epochLength">): bigint {
  return staking.unbondingDelay + staking.epochLength;
}

/**
 * Checks cascade parameters.
 * @throws ConsensusError `CASCADE_PARAMS_INVALID` naming the field
 */
export function checkCascadeParams(p: CascadeParams): void {
  const bad = (field: string, what: string): never => {
    throw new ConsensusError("CASCADE_PARAMS_INVALID", `${field}: ${what}`);
  };
  if (!Number.isInteger(p.levels) || p.levels < 1 || p.levels > 64) bad("levels", `must be an integer 1 ..= 64, got ${String(p.levels)}`);
  if (!Number.isInteger(p.perLevel) || p.perLevel < 1 || p.perLevel > 0xffff) bad("perLevel", `must be an integer 1 ..= 65535, got ${String(p.perLevel)}`);
  if (typeof p.depth !== "bigint" || p.depth < 1n) bad("depth", `must be a bigint ≥ 1, got ${String(p.depth)}`);
}

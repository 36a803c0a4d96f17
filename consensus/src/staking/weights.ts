/**
 * Uptime, voting weight and validator-set selection (docs/consensus.md §5.2, §5.3).
 * Integers only: every division is a floor division of non-negative bigints.
 * @module
 */
import type { Validator } from "../types.ts";
import { toHex } from "../encoding/bytes.ts";
import type { StakingParams } from "./params.ts";
import type { ValidatorRecord } from "./types.ts";

/** Lowercase hex of a 32-byte key: the key of `StakingState.validators` (hex order = byte order). */
export function stakingKey(publicKey: Uint8Array): string {
  return toHex(publicKey);
}

/**
 * Uptime ‰ of a validator in the current epoch: `⌊1000 · signed / expected⌋` for an `active`
 * validator that was expected to sign at least one counted certificate, else 1000 (a validator
 * outside the set is not penalised).
 */
export function uptimePermille(r: ValidatorRecord): number {
  if (r.status !== "active" || r.expectedThisEpoch === 0) return 1000;
  return Math.floor((1000 * r.signedThisEpoch) / r.expectedThisEpoch);
}

/** Voting weight `⌊bonded × uptime‰ × reputation‰ / 10⁶⌋` (atomic units, ≤ bonded). */
export function validatorWeight(bonded: bigint, uptime: number, reputation: number): bigint {
  return (bonded * BigInt(uptime) * BigInt(reputation)) / 1_000_000n;
}

/** Whether a record may enter the set: not banned or jailed and `bonded ≥ minStake`. */
export function isEligible(r: ValidatorRecord, params: Pick<StakingParams, "minStake">): boolean {
  return r.status !== "banned" && r.status !== "jailed" && r.bonded >= params.minStake;
}

/** Byte-wise comparison of two equal-length keys via their hex (same order). */
const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The top `maxValidators` eligible records by weight (descending; ties by public key
 * ascending), with weight > 0, as validators whose stake is the weight. The result is in
 * selection order; `makeValidatorSet` puts it into canonical (key) order.
 * @param weights weight per record key (from {@link validatorWeight})
 */
export function selectValidators(records: readonly ValidatorRecord[], weights: ReadonlyMap<string, bigint>, params: Pick<StakingParams, "minStake" | "maxValidators">): Validator[] {
  const ranked: { key: string; r: ValidatorRecord; w: bigint }[] = [];
  for (const r of records) {
    const key = stakingKey(r.publicKey);
    const w = weights.get(key) ?? 0n;
    if (isEligible(r, params) && w > 0n) ranked.push({ key, r, w });
  }
  ranked.sort((a, b) => (a.w > b.w ? -1 : a.w < b.w ? 1 : byKey(a.key, b.key)));
  return ranked.slice(0, params.maxValidators).map(({ r, w }) => ({ publicKey: r.publicKey, stake: w }));
}

/** Records sorted by public key (the canonical order). */
export function sortedRecords(validators: ReadonlyMap<string, ValidatorRecord>): ValidatorRecord[] {
  return [...validators.entries()].sort((a, b) => byKey(a[0], b[0])).map(([, r]) => r);
}

/**
 * The light client's time checks (docs/light-client.md §2.3): the trusting period (weak
 * subjectivity: a trusted head older than it is not followed, as its validators may have unbonded
 * and could sign a fork without being slashed) and the clock drift (a certified header whose time
 * is ahead of the local clock is refused). Both follow CometBFT's light client (`trustingPeriod` <
 * unbonding period, `maxClockDrift`, spec/light-client/verification). Times are ms since the Unix
 * epoch; a header's `timeMs` is a u64 of ms (docs/protocol.md §5.1).
 * @module
 */
import { GENESIS_FLOORS, type BlockHeader, type ChainParams } from "@baios/consensus";
import { LightClientError } from "./errors.ts";

/** The chain parameters the trusting period is derived from: `unbondingDelay` (blocks) and `blockTimeMs` (ms). */
export type TrustParams = Pick<ChainParams, "unbondingDelay" | "blockTimeMs">;

/**
 * A trusting period: ms, or `"off"` — no check at all, **unsafe** except for tests and devnets
 * whose genesis has a fabricated old time (a client then follows any validator set it once
 * trusted, however long ago it could have unbonded).
 */
export type TrustingPeriod = number | "off";

/**
 * The parameters assumed when the caller gives none: the floors of every non-devnet chain
 * (docs/protocol.md §13.1: `unbondingDelay ≥ 8 640` blocks, `blockTimeMs = 10 000`, = mainnet).
 * Every non-devnet unbonding period is at least this long, so the derived period is safe there.
 */
export const NON_DEVNET_TRUST_PARAMS: Readonly<TrustParams> = Object.freeze({ unbondingDelay: GENESIS_FLOORS.unbondingDelay, blockTimeMs: GENESIS_FLOORS.blockTimeMs });

/** Default largest clock drift: a certified header more than 10 000 ms ahead of `now()` is refused (CometBFT's default `maxClockDrift`). */
export const DEFAULT_MAX_CLOCK_DRIFT_MS = 10_000;

/**
 * The unbonding period in ms: `unbondingDelay × blockTimeMs`. A lower bound of the wall-clock
 * time an unbond takes (a block's time is ≥ its parent's + `blockTimeMs`, docs/protocol.md §5.1).
 */
export function unbondingPeriodMs(p: TrustParams): number {
  return Number(p.unbondingDelay * BigInt(p.blockTimeMs));
}

/** The default trusting period in ms: `floor(2/3 × unbondingDelay × blockTimeMs)` (mainnet: 57 600 000 = 16 h). */
export function defaultTrustingPeriodMs(p: TrustParams): number {
  return Number((2n * p.unbondingDelay * BigInt(p.blockTimeMs)) / 3n);
}

/**
 * The trusting period in force: `explicit` when given, else {@link defaultTrustingPeriodMs} of `p`.
 * @throws RangeError for an explicit period that is not a positive integer of ms below the unbonding
 *   period (such a period is unsafe; the only unsafe choice is the named `"off"`)
 */
export function resolveTrustingPeriod(explicit: TrustingPeriod | undefined, p: TrustParams): TrustingPeriod {
  if (explicit === undefined) return defaultTrustingPeriodMs(p);
  if (explicit === "off") return "off";
  const unbonding = unbondingPeriodMs(p);
  if (!Number.isSafeInteger(explicit) || explicit <= 0 || explicit >= unbonding) {
    throw new RangeError(`trustingPeriodMs ${explicit}: expected an integer of ms in 1 ..< the unbonding period ${unbonding} (unbondingDelay × blockTimeMs), or "off"`);
  }
  return explicit;
}

/**
 * Refuses to follow updates from `head` when it is older than `period` at `nowMs`.
 * @throws LightClientError `TRUST_EXPIRED`
 */
export function checkTrustingPeriod(head: BlockHeader, period: TrustingPeriod, nowMs: number): void {
  if (period === "off") return;
  const age = nowMs - Number(head.timeMs);
  if (age > period) throw new LightClientError("TRUST_EXPIRED", `the trusted block ${head.height} is ${Math.round(age / 1000)} s old, beyond the trusting period of ${Math.round(period / 1000)} s; get a recent checkpoint out of band`);
}

/**
 * Refuses a certified header whose time is more than `maxDriftMs` ahead of `nowMs`.
 * @throws LightClientError `HEADER_FROM_FUTURE`
 */
export function checkNotFromFuture(header: BlockHeader, nowMs: number, maxDriftMs: number): void {
  const ahead = Number(header.timeMs) - nowMs;
  if (ahead > maxDriftMs) throw new LightClientError("HEADER_FROM_FUTURE", `block ${header.height} has time ${header.timeMs}, ${ahead} ms ahead of the local clock (more than the allowed drift of ${maxDriftMs} ms)`);
}

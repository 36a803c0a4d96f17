/**
 * Chain parameters (docs/protocol.md §2).
 * @module
 */
import { DEFAULT_TXPOW_TARGET } from "@baios/crypto";
import { ATOMIC_UNITS_PER_BAI, BLOCK_TIME_MS } from "./constants.ts";

export { ATOMIC_UNITS_PER_BAI, MAX_SUPPLY, U64_MAX, BLOCK_TIME_MS, BLOCKS_PER_DAY, BLOCKS_PER_YEAR, TX_VERSION, BLOCK_VERSION, TAGS } from "./constants.ts";

/**
 * The consensus parameters of one chain. A genesis file fixes them (src/genesis.ts); every
 * node of the chain must use the same values. Units are in each field's doc.
 */
export interface ChainParams {
  /** Chain id (u32) carried by every tx and header; replay protection across chains. */
  chainId: number;
  /** Minimum ring size (ring members per input): 11. */
  minRingSize: number;
  /** Maximum ring size: 16 (bounds the tx size and verification cost). */
  maxRingSize: number;
  /** Minimum plaintext fee per transaction, atomic units: 100 000 (0.001 BAI). */
  minFee: bigint;
  /** Maximum transaction size in wire bytes (docs/protocol.md §10.1), bytes: 65 536. */
  maxTxBytes: number;
  /** Maximum inputs per transaction: 16. */
  maxInputs: number;
  /** Maximum outputs per transaction (and per coinbase after genesis): 16 (the Bulletproofs+ aggregation limit). */
  maxOutputs: number;
  /** Maximum block size in wire bytes (docs/protocol.md §10.3), bytes: 4 194 304 (4 MiB). */
  maxBlockBytes: number;
  /** Maximum transactions per block (coinbase not counted): 1 024 (whitepaper §6 "Max transactions per block"; a ceiling on every chain). */
  maxBlockTxs: number;
  /**
   * Coinbase maturity, blocks: 60 (10 minutes). A coinbase output of block `h` has
   * `unlockHeight = h + 60`; it can be a ring member of a tx in a block of height ≥ h + 60.
   * Finalized regular outputs are spendable from the next block (BFT finality, no reorgs).
   */
  coinbaseMaturity: bigint;
  /**
   * Block interval, milliseconds: 10 000. Consensus: a block's time is ≥ its parent's + blockTimeMs
   * (docs/protocol.md §5.1); the producer waits for it. Every non-devnet chain uses exactly 10 000
   * (the emission schedule counts 8 640 blocks a day).
   */
  blockTimeMs: number;
  /** How far a block time may run ahead of the local clock, milliseconds: 30 000. */
  maxFutureBlockTimeMs: number;
  /** Tx-PoW target, 32 bytes big-endian (docs/crypto.md §7); a tx is valid iff pow_hash ≤ target. */
  txPowTarget: Uint8Array;
  /**
   * Initial block PoW target, 32 bytes big-endian: the genesis header's `blockTarget`, from which
   * every block retargets (docs/protocol.md §5.2). Mainnet {@link DEFAULT_BLOCK_TARGET} (~2^20 hashes).
   */
  blockTarget: Uint8Array;
  /** Easiest block target ever allowed (32 bytes big-endian); retargeting clamps to it. Mainnet {@link DEFAULT_BLOCK_TARGET_MAX} (~2^16 hashes). */
  blockTargetMax: Uint8Array;
  /** Epoch length in blocks (u64): the validator set changes at epoch boundaries (docs/consensus.md §5). Mainnet 360 (≈ 1 h). */
  epochLength: bigint;
  /** Blocks between an unbond request and its payout (u64); also the max evidence age. Mainnet 8 640 (≈ 1 day). */
  unbondingDelay: bigint;
  /** Smallest bonded stake that can be in the validator set, atomic units (u64). Mainnet 10 000 BAI. */
  minStake: bigint;
  /** Largest validator set (u32). Mainnet 100; at most 682 (a certificate's 65 536-byte decode limit). */
  maxValidators: number;
  /** A validator that signed fewer than this many per mille of an epoch's certificates is jailed (0..=1000). Mainnet 500. */
  downtimeThresholdPermille: number;
}

/** Big-endian 32-byte target `2^(256 − bits) − 1` (expected `2^bits` hashes). */
export function targetForBits(bits: number): Uint8Array {
  if (!Number.isInteger(bits) || bits < 0 || bits > 256) throw new RangeError(`bits must be in 0..=256: ${bits}`);
  const v = (1n << BigInt(256 - bits)) - 1n;
  const out = new Uint8Array(32);
  let x = v;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return out;
}

/** Mainnet initial block target: `2^236 − 1` (≈ 2^20 hashes per block network-wide; retargets from there). */
export const DEFAULT_BLOCK_TARGET: Uint8Array = targetForBits(20);
/** Mainnet easiest block target: `2^240 − 1` (≈ 2^16 hashes); also the non-devnet ceiling of `blockTargetMax`. */
export const DEFAULT_BLOCK_TARGET_MAX: Uint8Array = targetForBits(16);
/** Devnet initial block target: `2^246 − 1` (≈ 2^10 = 1 024 hashes, a few ms). */
export const DEVNET_BLOCK_TARGET: Uint8Array = targetForBits(10);
/** Devnet easiest block target: `2^250 − 1` (≈ 64 hashes). */
export const DEVNET_BLOCK_TARGET_MAX: Uint8Array = targetForBits(6);
/** Largest `maxValidators`: 682 votes fill a certificate's 65 536-byte decode limit (docs/protocol.md §10.4). */
export const MAX_VALIDATORS_CEILING = 682;

/** Default minimum fee: 0.001 BAI = 100 000 atomic units. */
export const DEFAULT_MIN_FEE = ATOMIC_UNITS_PER_BAI / 1000n;

/** Default coinbase maturity in blocks (60 blocks = 10 minutes at 10 s). */
export const DEFAULT_COINBASE_MATURITY = 60n;

/** Ceiling of `maxBlockTxs` on every chain, devnets included: 1 024 (whitepaper §6). */
export const MAX_BLOCK_TXS = 1024;

/**
 * The floors a genesis must meet (docs/protocol.md §13.1), from the whitepaper: ring size 11
 * (§5.2), base fee 0.001 BAI (§4 fees table), validator stake 10 000 BAI (§6), block time 10 s
 * (§6), plus coinbase maturity 60 blocks and the default Tx-PoW target (docs/protocol.md §2).
 * `devnetRelaxable` names the floors a devnet genesis may go below; the others hold everywhere.
 */
export const GENESIS_FLOORS = {
  /** `minRingSize ≥ 11` (every chain). */
  minRingSize: 11,
  /** `minFee ≥ 100 000` atomic units = 0.001 BAI (every chain). */
  minFee: 100_000n,
  /** `maxBlockTxs ≤ 1 024` (every chain). */
  maxBlockTxs: MAX_BLOCK_TXS,
  /** `coinbaseMaturity ≥ 60` blocks (devnet: ≥ 1). */
  coinbaseMaturity: 60n,
  /** Each validator's stake ≥ 10 000 BAI = 10^12 atomic units (devnet: ≥ 1). */
  validatorStake: 10_000n * ATOMIC_UNITS_PER_BAI,
  /** `blockTimeMs = 10 000` exactly (devnet: ≥ 10). */
  blockTimeMs: BLOCK_TIME_MS,
  /** `txPowTarget ≤ DEFAULT_TXPOW_TARGET` (at least as hard; devnet: any). */
  txPowTarget: DEFAULT_TXPOW_TARGET,
  /** `minStake ≥ 10 000 BAI` (devnet: ≥ 1). */
  minStake: 10_000n * ATOMIC_UNITS_PER_BAI,
  /** `unbondingDelay ≥ 8 640` blocks ≈ 1 day (devnet: ≥ 1): stake stays slashable while evidence can still arrive. */
  unbondingDelay: 8_640n,
  /** `blockTargetMax ≤ DEFAULT_BLOCK_TARGET_MAX` (devnet: any); every chain: `1 ≤ blockTarget ≤ blockTargetMax`. */
  blockTargetMax: DEFAULT_BLOCK_TARGET_MAX,
  /** `1 ≤ maxValidators ≤ 682` (every chain). */
  maxValidators: MAX_VALIDATORS_CEILING,
  /** What a devnet may relax, and its own lower bounds. */
  devnet: { coinbaseMaturity: 1n, validatorStake: 1n, blockTimeMs: 10, minStake: 1n, unbondingDelay: 1n },
} as const;

/** Mainnet chain id (u32). Devnet uses {@link DEVNET_CHAIN_ID}. */
export const MAINNET_CHAIN_ID = 1;
/** Devnet chain id (u32). */
export const DEVNET_CHAIN_ID = 0x0bad_0001;

/**
 * The default parameters with optional overrides (tests use an easier `txPowTarget`).
 * The Tx-PoW target defaults to `DEFAULT_TXPOW_TARGET` of `@baios/crypto`.
 */
export function defaultParams(overrides: Partial<ChainParams> = {}): ChainParams {
  return {
    chainId: MAINNET_CHAIN_ID,
    minRingSize: 11,
    maxRingSize: 16,
    minFee: DEFAULT_MIN_FEE,
    maxTxBytes: 65_536,
    maxInputs: 16,
    maxOutputs: 16,
    maxBlockBytes: 4 * 1024 * 1024,
    maxBlockTxs: MAX_BLOCK_TXS,
    coinbaseMaturity: DEFAULT_COINBASE_MATURITY,
    blockTimeMs: BLOCK_TIME_MS,
    maxFutureBlockTimeMs: 30_000,
    txPowTarget: DEFAULT_TXPOW_TARGET.slice(),
    blockTarget: DEFAULT_BLOCK_TARGET.slice(),
    blockTargetMax: DEFAULT_BLOCK_TARGET_MAX.slice(),
    epochLength: 360n,
    unbondingDelay: 8_640n,
    minStake: 10_000n * ATOMIC_UNITS_PER_BAI,
    maxValidators: 100,
    downtimeThresholdPermille: 500,
    ...overrides,
  };
}

/**
 * The devnet defaults laid over {@link defaultParams}: chain id {@link DEVNET_CHAIN_ID}, an easy
 * block target ({@link DEVNET_BLOCK_TARGET}, max {@link DEVNET_BLOCK_TARGET_MAX}), `minStake` 1,
 * `unbondingDelay` 20 blocks, `epochLength` 10 blocks; then `overrides`.
 */
export function devnetParams(overrides: Partial<ChainParams> = {}): ChainParams {
  return defaultParams({
    chainId: DEVNET_CHAIN_ID,
    blockTarget: DEVNET_BLOCK_TARGET.slice(),
    blockTargetMax: DEVNET_BLOCK_TARGET_MAX.slice(),
    minStake: 1n,
    unbondingDelay: 20n,
    epochLength: 10n,
    ...overrides,
  });
}

/** The default mainnet parameters (a frozen snapshot of {@link defaultParams}()). */
export const DEFAULT_PARAMS: Readonly<ChainParams> = Object.freeze(defaultParams());

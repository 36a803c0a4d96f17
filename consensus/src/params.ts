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
}

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
  /** What a devnet may relax, and its own lower bounds. */
  devnet: { coinbaseMaturity: 1n, validatorStake: 1n, blockTimeMs: 10 },
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
    ...overrides,
  };
}

/** The default mainnet parameters (a frozen snapshot of {@link defaultParams}()). */
export const DEFAULT_PARAMS: Readonly<ChainParams> = Object.freeze(defaultParams());

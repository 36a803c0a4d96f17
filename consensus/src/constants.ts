/**
 * Pure consensus constants (no WebAssembly needed to import this module).
 * Source: docs/protocol.md §2 "Constants".
 * @module
 */

/** Atomic units per BAI: 1 BAI = 10^8 atomic units (docs/crypto.md §3). */
export const ATOMIC_UNITS_PER_BAI = 100_000_000n;

/** Hard cap of the money supply in atomic units, premine included: 21·10^9 BAI = 2.1·10^18. */
export const MAX_SUPPLY = 21_000_000_000n * ATOMIC_UNITS_PER_BAI;

/** Largest u64 value, 2^64 − 1. */
export const U64_MAX = 0xffff_ffff_ffff_ffffn;

/** Largest u32 value, 2^32 − 1. */
export const U32_MAX = 0xffff_ffff;

/** Transaction format version of a plain transfer (u32, docs/protocol.md §3). */
export const TX_VERSION = 1;

/** Transaction format version of a bond: version 1 plus the public stake field after the fee (u32, docs/protocol.md §3.1). */
export const TX_VERSION_BOND = 2;

/** Block header format version understood by this code (u32, docs/protocol.md §5): 2 (PoW hash, BFT fields). */
export const BLOCK_VERSION = 2;

/** Largest number of unbond requests in one block body (docs/protocol.md §5). */
export const MAX_BLOCK_UNBONDS = 1024;

/** Largest number of evidence items in one block body (docs/protocol.md §5). */
export const MAX_BLOCK_EVIDENCE = 256;

/** Highest superblock level `powLevel` reports: 63. */
export const MAX_POW_LEVEL = 63;

/** Block time in milliseconds (10 s). */
export const BLOCK_TIME_MS = 10_000;

/** Blocks per day at the 10 s block time: 8640. */
export const BLOCKS_PER_DAY = 8_640n;

/** Days per emission year (the schedule uses a 365-day year): 365. */
export const DAYS_PER_YEAR = 365n;

/** Blocks per emission year: 8640 · 365 = 3 153 600. */
export const BLOCKS_PER_YEAR = BLOCKS_PER_DAY * DAYS_PER_YEAR;

/** Length of hashes, keys, points and scalars in bytes. */
export const HASH_BYTES = 32;

/** Length of an Ed25519 signature in bytes (RFC 8032). */
export const ED25519_SIGNATURE_BYTES = 64;

/** Length of an encrypted amount in bytes (docs/crypto.md §4). */
export const ENCRYPTED_AMOUNT_BYTES = 8;

/** Domain-separation tags of the consensus hashes (h32 tags, docs/protocol.md §1). */
export const TAGS = {
  txid: "BAIOS/v1/txid",
  txSign: "BAIOS/v1/tx-sign",
  txLeaf: "BAIOS/v1/tx-leaf",
  txRoot: "BAIOS/v1/tx-root",
  coinbase: "BAIOS/v1/coinbase",
  block: "BAIOS/v1/block",
  mmrLeaf: "BAIOS/v1/mmr-leaf",
  mmrNode: "BAIOS/v1/mmr-node",
  mmrBag: "BAIOS/v1/mmr-bag",
  precommit: "BAIOS/v1/precommit",
  prevote: "BAIOS/v1/prevote",
  proposal: "BAIOS/v1/proposal",
  validators: "BAIOS/v1/validators",
  certificate: "BAIOS/v1/certificate",
  unbond: "BAIOS/v1/unbond",
  unbondLeaf: "BAIOS/v1/unbond-leaf",
  stakingRoot: "BAIOS/v1/staking-root",
  evidence: "BAIOS/v1/evidence",
  evidenceRoot: "BAIOS/v1/evidence-root",
  bond: "BAIOS/v1/bond",
  genesisTxKey: "BAIOS/v1/genesis-tx-key",
  chainId: "BAIOS/v1/chain-id",
  superParents: "BAIOS/v1/super-parents",
  headerLeaf: "BAIOS/v1/header-leaf",
  kisetKey: "BAIOS/v1/kiset-key",
  kisetLeaf: "BAIOS/v1/kiset-leaf",
  kisetNode: "BAIOS/v1/kiset-node",
} as const;

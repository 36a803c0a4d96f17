/**
 * JSON views of consensus objects as the node's RPC returns them (docs/node.md §Methods): bytes as
 * lowercase hex, u64 amounts and fees as decimal strings of atomic units (1 BAI = 10^8), heights,
 * indices and ms times as numbers. The node builds them in its rpc/json.ts.
 * @module
 */

/** JSON view of a block header plus its hash (`get_header`, `BlockResult.header`; fields per docs/protocol.md §5). Bytes are lowercase hex. */
export interface HeaderJson {
  /** Block hash `h32("BAIOS/v1/block", headerBytes)` (32 bytes hex). */
  hash: string;
  /** Block version (u32; 2). */
  version: number;
  /** Chain id (u32; 1 mainnet, 0x0BAD0001 devnet). */
  chainId: number;
  height: number;
  /** Parent block hash (32 bytes hex; all zeros for genesis). */
  parentHash: string;
  /** Block time, ms since the Unix epoch. */
  timeMs: number;
  /** Merkle root over the coinbase hash and the tx leaves (32 bytes hex; docs/protocol.md §6). */
  txRoot: string;
  /** Output MMR root after this block (32 bytes hex; docs/protocol.md §8). */
  outputRoot: string;
  /** MMR size in leaves (outputs created so far) after this block. */
  outputCount: number;
  /** Tx-PoW target the block's transactions meet (32 bytes big-endian, hex). */
  txPowTarget: string;
  /** Block PoW target the block hash meets (32 bytes big-endian, hex; docs/protocol.md §5.2). */
  blockTarget: string;
  /** Hash of the validator set that finalizes the block (32 bytes hex; docs/protocol.md §9). */
  validatorsHash: string;
  /** Hash of the validator set that finalizes the next block (32 bytes hex). */
  nextValidatorsHash: string;
  /** Hash of the parent's finality certificate carried in the block body (32 bytes hex). */
  lastCertificateHash: string;
  /** Merkle root of the body's evidence (32 bytes hex). */
  evidenceRoot: string;
  /** Merkle root of the body's unbond requests (32 bytes hex). */
  stakingRoot: string;
  /** Header MMR root over the hashes of every earlier block (32 bytes hex; docs/protocol.md §5.4). */
  headerRoot: string;
  /** Commitment to the super-parent pointers after the parent (32 bytes hex; docs/cascade.md §3). */
  superParentsRoot: string;
  /** Key-image set root after this block (32 bytes hex; docs/protocol.md §15). */
  keyImageRoot: string;
  /** `stakingStateHash` of the staking state after this block (32 bytes hex; docs/consensus.md §5.5). */
  stakingStateHash: string;
  /** Block PoW nonce (u64), decimal string. */
  powNonce: string;
}

/** JSON view of one coinbase (or premine) output (docs/protocol.md §4): public amount, implied commitment. */
export interface CoinbaseOutputJson {
  /** Global output index (= MMR leaf index). */
  globalIndex: number;
  /** One-time key `P` (32-byte ristretto255 encoding, hex). */
  oneTimeKey: string;
  /** View tag (u8). */
  viewTag: number;
  /** Amount in atomic units (1 BAI = 10^8), decimal string. */
  amount: string;
  /** First block height at which it may be a ring member (`height + coinbaseMaturity`; premine: as set in the genesis file). */
  unlockHeight: number;
  /** The implied commitment `G + amount·H` (mask 1) as stored (32 bytes hex). */
  commitment: string;
}

/** JSON view of a block's coinbase (docs/protocol.md §4). */
export interface CoinbaseJson {
  /** Height of the block it belongs to. */
  height: number;
  /** Tx public key `R` shared by all its outputs (32 bytes hex). */
  txPublicKey: string;
  outputs: CoinbaseOutputJson[];
}

/** JSON view of one transaction output (docs/protocol.md §3, docs/crypto.md §4). */
export interface TxOutputJson {
  /** Global output index; present only when the tx is on chain. */
  globalIndex?: number;
  /** One-time key `P = s·G + B` (32-byte ristretto255 encoding, hex). */
  oneTimeKey: string;
  /** Pedersen commitment `C = y·G + v·H` (32 bytes hex). */
  commitment: string;
  /** View tag (u8). */
  viewTag: number;
  /** Encrypted amount (8 bytes hex): `u64le(v) XOR H64("BAIOS/v1/amount", s)[0..8]`. */
  encryptedAmount: string;
}

/** Full JSON view of a transaction (`get_block`, `get_tx`; fields per docs/protocol.md §3). */
export interface TxJson {
  /** Transaction id (32 bytes hex; docs/protocol.md §3.3). */
  txid: string;
  /** Tx version (u32; 1). */
  version: number;
  /** Chain id (u32). */
  chainId: number;
  /** Fee in atomic units (1 BAI = 10^8), decimal string. */
  fee: string;
  /** Inputs: ring as strictly ascending global output indices; key image and pseudo-output commitment (32 bytes hex each). */
  inputs: { ring: number[]; keyImage: string; pseudoOut: string }[];
  outputs: TxOutputJson[];
  /** Tx public keys `R` (32 bytes hex each): one shared by all outputs, or one per output. */
  txPublicKeys: string[];
  /** Aggregated Bulletproofs+ range proof over all output commitments (hex). */
  rangeProof: string;
  /** One MLSAG per input, `32 + 64·ringSize` bytes each (hex; docs/crypto.md §5). */
  signatures: string[];
  /** Tx-PoW nonce (u64), decimal string. */
  powNonce: string;
}

/** The scan view of a tx (get_blocks_range): what a wallet needs to find and track its outputs. */
export interface ScanTxJson {
  txid: string;
  fee: string;
  txPublicKeys: string[];
  keyImages: string[];
  outputs: Required<TxOutputJson>[];
  /** Tx-PoW nonce (u64, decimal string): with `txid` it forms the tx's `txRoot` leaf (docs/protocol.md §6). */
  powNonce: string;
}

/** JSON view of a finality certificate (docs/protocol.md §9). */
export interface CertificateJson {
  height: number;
  /** Consensus round the block was finalized in (0 for the single validator). */
  round: number;
  /** Hash of the finalized block (32 bytes hex). */
  blockHash: string;
  /** Precommit votes sorted by validator key: Ed25519 public key (32 bytes hex) and signature (64 bytes hex). */
  votes: { validator: string; signature: string }[];
}

/**
 * Result types of the node's JSON-RPC methods (docs/node.md §Methods), one per method: the JSON
 * the node answers and {@link NodeRpcClient} returns. Bytes as lowercase hex, u64 amounts and fees
 * as decimal strings of atomic units (1 BAI = 10^8), heights, indices and ms times as numbers.
 * @module
 */
import type { CertificateJson, CoinbaseJson, HeaderJson, ScanTxJson, TxJson } from "./json.ts";
import type { NodeRpcClient } from "./client.ts";

/** The `network` member of `status` (docs/node.md §Methods): peers with scores, bans, sync state. Peer lists are omitted under `--restricted-rpc`. */
export interface NetworkStatusJson {
  /** Our libp2p peer id (base58btc). */
  peerId: string;
  /** Our listen multiaddrs with `/p2p/<peerId>` (empty under --restricted-rpc). */
  addresses: string[];
  /** Connected peers. */
  peerCount: number;
  /** Connected peers with direction, remote multiaddr and application score (empty under --restricted-rpc). */
  peers: { id: string; direction: "inbound" | "outbound"; address: string; score: number }[];
  /** Banned peers with the end of the ban (ms since the epoch) and why (empty under --restricted-rpc). */
  bans: { id: string; until: number; reason: string }[];
  /** Sync state (net/sync.ts): `idle|syncing|synced|behind`, the best height peers claim, blocks imported by sync, penalties given. */
  sync: { state: string; targetHeight: number; imported: number; penalties: number; lastError: string | null };
  /** Dandelion++ counters that reveal no transaction (epoch, relays), or null. */
  dandelion: Record<string, number> | null;
  /** Set when something needs the operator: e.g. the node's `ISOLATED_WARNING` (not a validator and no peers). */
  warning?: string;
}

/** Result of `status` (docs/node.md §Methods). */
export interface StatusResult {
  /** Node software version (`NODE_VERSION`). */
  version: string;
  /** Chain id from genesis (u32; 1 mainnet, 0x0BAD0001 devnet). */
  chainId: number;
  /** Genesis block hash (32 bytes hex; "" if the store holds none). */
  genesisHash: string;
  /** Finalized tip height. */
  height: number;
  /** Tip block hash (32 bytes hex). */
  tipHash: string;
  /** Tip block time, ms since the Unix epoch. */
  tipTimeMs: number;
  /** Outputs created so far (= MMR leaves). */
  outputCount: number;
  /** Key images spent on chain. */
  keyImageCount: number;
  /** Output MMR root of the tip header (32 bytes hex). */
  outputRoot: string;
  /** Mempool content: transaction count and total encoded size in bytes. */
  mempool: { txs: number; bytes: number };
  /** This node's validator Ed25519 public key (32 bytes hex), or null when it produces no blocks. */
  validator: string | null;
  /** `archive` or `pruned` (`--mode`, docs/pruning.md §Node modes). */
  mode: "archive" | "pruned";
  /** Lowest height whose block body this node serves (0 = all; below it `get_block`/`get_blocks_range` answer PRUNED). Headers and certificates are served from 0. */
  tail: number;
  /** Peers, their scores and sync state; absent when the node runs without p2p. */
  network?: NetworkStatusJson;
}

/** Result of `get_params`: the genesis chain parameters (docs/protocol.md §2) and the fee to use now. */
export interface ParamsResult {
  /** Chain id (u32). */
  chainId: number;
  /** Minimum ring members per input (default 11). */
  minRingSize: number;
  /** Maximum ring members per input (default 16). */
  maxRingSize: number;
  /** Minimum fee (atomic units, decimal string). */
  minFee: string;
  /** Fee to use now (atomic units): the minimum, or above the mempool's lowest priority when it is full. */
  fee: string;
  /** Tx-PoW target (32 bytes big-endian, hex). */
  txPowTarget: string;
  /** Maximum transaction size in wire bytes (docs/protocol.md §10.1), bytes. */
  maxTxBytes: number;
  /** Maximum inputs per transaction. */
  maxInputs: number;
  /** Maximum outputs per transaction (≤ 16, the Bulletproofs+ aggregation limit). */
  maxOutputs: number;
  /** Maximum encoded block size, bytes. */
  maxBlockBytes: number;
  /** Maximum transactions per block, coinbase not counted. */
  maxBlockTxs: number;
  /** Blocks before a coinbase output may be a ring member (default 60). */
  coinbaseMaturity: number;
  /** Block interval from the genesis parameters, ms. */
  blockTimeMs: number;
}

/** Result of `get_block`: JSON views of the block; transaction outputs carry `globalIndex`. */
export interface BlockResult {
  header: HeaderJson;
  coinbase: CoinbaseJson;
  txs: TxJson[];
  /** The block's finality certificate (genesis: an empty certificate; genesis is trusted by hash). */
  certificate: CertificateJson;
  /** The block's wire bytes (docs/protocol.md §10.3), when `format: "hex"` was asked. */
  hex?: string;
}

/** One block as `get_blocks_range` returns it: what a wallet needs to scan (view tags first) and to notice its spends (docs/wallet.md §4). */
export interface ScanBlockJson {
  height: number;
  /** Block hash (32 bytes hex). */
  hash: string;
  /** Block time, ms since the Unix epoch. */
  timeMs: number;
  /** Coinbase outputs with public amounts, commitments and global indices. */
  coinbase: CoinbaseJson;
  /** Scan views of the block's transactions, in block order. */
  txs: ScanTxJson[];
  /** The block's header, so a wallet can recompute the hash, check the parent link and rebuild `txRoot` from `coinbase` and the txs' `(txid, powNonce)` (docs/wallet.md §4.1). */
  header: HeaderJson;
  /** The block's finality certificate (genesis: an empty one; genesis is trusted by hash). */
  certificate: CertificateJson;
  /**
   * Only when the header's `nextValidatorsHash` differs from its `validatorsHash` (an epoch
   * boundary or a slash): the validator set that finalizes the next block, sorted by key. A
   * wallet checks that it hashes to `nextValidatorsHash` (certified by this block's certificate)
   * and verifies the following certificates with it (docs/wallet.md §4.1).
   */
  nextValidators?: { publicKey: string; stake: string }[];
  /**
   * Only in blocks that pay matured unbonds: each payout as a one-output coinbase-style view
   * (public amount, commitment `G + amount·H`, its own tx public key, output index 0), global
   * indices right after the coinbase's (docs/consensus.md §4.4).
   */
  payouts?: CoinbaseJson[];
}

/** Result of `get_validators`: the genesis validator set, whose hash a wallet checks against the genesis header's `validatorsHash` (docs/protocol.md §9). */
export interface ValidatorsResult {
  /** Validators sorted by public key: Ed25519 public key (32 bytes hex) and stake (atomic units, decimal string). */
  validators: { publicKey: string; stake: string }[];
  /** `validatorsHash` of the set (32 bytes hex). */
  hash: string;
}

/** Result of `get_blocks_range { from, to? }` (at most 1000 blocks; `to` clipped to the tip). */
export interface BlocksRangeResult {
  /** The node's tip height when the call was served. */
  tip: number;
  /** Blocks `from..=min(to, tip)` in height order (empty when `from` > tip). */
  blocks: ScanBlockJson[];
}

/** Ring-member data of one output (`get_outputs`), from its stored record (docs/node.md §Data directory). */
export interface OutputJson {
  globalIndex: number;
  /** One-time key (32-byte ristretto255 encoding, hex). */
  oneTimeKey: string;
  /** Commitment (32 bytes hex; coinbase outputs: the expanded `G + amount·H`). */
  commitment: string;
  /** Height of the block that created it. */
  height: number;
  /** First block height at which it may be a ring member. */
  unlockHeight: number;
}

/** Result of `get_outputs { indices }` (≤ 5000): one entry per requested index, in request order, `null` where no output exists. */
export interface OutputsResult {
  outputs: (OutputJson | null)[];
}

/** Result of `get_output_distribution { from?, to? }` (≤ 100 000 heights; `to` clipped to the tip), for decoy selection (docs/wallet.md §5). */
export interface DistributionResult {
  /** First height covered (default 0). */
  from: number;
  /** Last height covered: the requested `to` (default the tip) clipped to the tip; below `from` when the range is empty. */
  to: number;
  /** cumulative[i] = number of outputs created in blocks 0..=from+i. */
  cumulative: number[];
}

/** Result of `submit_tx { tx }`: the accepted transaction's id (32 bytes, lowercase hex). */
export interface SubmitTxResult {
  txid: string;
}

/** Result of `submit_unbond { unbond }` (hex of the 169-byte unbond, docs/protocol.md §10): `accepted` false when it was already pooled. */
export interface SubmitUnbondResult {
  accepted: boolean;
}

/** Result of `get_tx { txid }`: a pooled or confirmed transaction. */
export interface TxResult {
  /** Transaction id (32 bytes hex). */
  txid: string;
  /** `mempool` while pooled, `confirmed` once in a (final) block. */
  status: "mempool" | "confirmed";
  /** Height of its block, or null while pooled. */
  height: number | null;
  /** Index in its block's `txs`, or null while pooled. */
  position: number | null;
  /** Full JSON; outputs carry `globalIndex` only when confirmed. */
  tx: TxJson;
  /** Wire bytes (`encodeTx`, docs/protocol.md §10.1), lowercase hex. */
  hex: string;
}

/** Result of `get_mempool`: the pooled transactions in priority order (best first). */
export interface MempoolResult {
  /** Number of pooled transactions. */
  count: number;
  /** Total encoded size of the pooled transactions, bytes. */
  bytes: number;
  /** Per tx: txid (32 bytes hex), fee (atomic units, decimal string), encoded size (bytes), arrival time (ms since the epoch). */
  txs: { txid: string; fee: string; size: number; receivedMs: number }[];
}

/** Status of a key image (`is_key_image_spent`): spent on chain, used by a pooled transaction, or neither. */
export type KeyImageStatus = "unspent" | "spent" | "mempool";

/** Result of `is_key_image_spent { keyImages }` (≤ 5000): `statuses[i]` and `heights[i]` answer `keyImages[i]`. */
export interface KeyImagesResult {
  /** Status of each key image, in request order. */
  statuses: KeyImageStatus[];
  /** Height of the spending block for "spent", else null. */
  heights: (number | null)[];
}

/**
 * Result of `get_key_image_proof { keyImage }`: whether the key image is in the key-image set of
 * the tip header, with a proof (docs/protocol.md §15.4). Verify with
 * `verifyKeyImageProof(keyImageRoot, keyImage, proof)` → `{ spent }`, after checking the header.
 */
export interface KeyImageProofResult {
  /** The key image asked about (32 bytes hex). */
  keyImage: string;
  /** Height of the header the proof is against (the tip when answered). */
  height: number;
  /** Hash of that header (32 bytes hex). */
  hash: string;
  /** That header's `keyImageRoot` (32 bytes hex). */
  keyImageRoot: string;
  /** Membership (spent, in a finalized block up to `height`) or non-membership (unspent). */
  spent: boolean;
  /** `encodeKisetProof` bytes (hex; docs/protocol.md §15.4). */
  proof: string;
}

/**
 * Result of `get_header_proof { height, at? }`: MMR inclusion proof of block `height`'s hash in the
 * header MMR that header `at` commits to (`headerRoot`, docs/protocol.md §5.4; `leafCount = at`).
 * Verify with `verifyInclusionProof(root, leafCount, headerLeafHash(height, blockHash), decodeInclusionProof(proof))`.
 */
export interface HeaderProofResult {
  /** Height of the proven block (= leaf index). */
  height: number;
  /** Its block hash (32 bytes hex). */
  blockHash: string;
  /** Height of the header whose `headerRoot` the proof is against (> `height`). */
  at: number;
  /** Hash of that header (32 bytes hex). */
  atHash: string;
  /** Header-MMR size in leaves for header `at` (= `at`). */
  leafCount: number;
  /** Header `at`'s `headerRoot` (32 bytes hex). */
  root: string;
  /** `h32("BAIOS/v1/header-leaf", u64le(height) ‖ blockHash)` (32 bytes hex). */
  leafHash: string;
  /** Sibling hashes, bottom-up (32 bytes hex each). */
  siblings: string[];
  /** The other mountains' peaks, left to right (32 bytes hex each). */
  otherPeaks: string[];
  /** `encodeInclusionProof` bytes (hex). */
  proof: string;
}

/** Result of `get_mmr_proof { globalIndex, height? }`: an output's MMR inclusion proof (docs/protocol.md §8). Verify with `verifyInclusionProof(root, leafCount, leafHash, decodeInclusionProof(proof))`. */
export interface MmrProofResult {
  /** Global output index (= MMR leaf index). */
  globalIndex: number;
  /** The proof is against the header of this height. */
  height: number;
  /** MMR size in leaves at `height` (that header's `outputCount`). */
  leafCount: number;
  /** Output MMR root of the header at `height` (32 bytes hex). */
  root: string;
  /** Leaf hash `h32("BAIOS/v1/mmr-leaf", u64le(globalIndex) ‖ oneTimeKey ‖ commitment)` (32 bytes hex). */
  leafHash: string;
  /** Sibling hashes from the leaf up to its mountain's peak, bottom-up (32 bytes hex each). */
  siblings: string[];
  /** The other mountains' peaks, left to right (32 bytes hex each). */
  otherPeaks: string[];
  /** `encodeInclusionProof` bytes. */
  proof: string;
}

/**
 * Result of `get_mmr_consistency_proof { oldCount, newCount?, mmr? }` (docs/mmr.md §6): proof that
 * the `mmr` MMR ("output", default, or "header") of `oldCount` leaves is a prefix of the one of
 * `newCount` leaves (default: the tip header's `outputCount`, or the tip height for the header
 * MMR). Check `oldRoot`/`newRoot` against headers you trust (a header's `outputRoot` at its
 * `outputCount`; header `c`'s `headerRoot` for header-MMR count `c`), then
 * `verifyConsistencyProof(oldRoot, oldCount, newRoot, newCount, fromHex(proof))` (@baios/consensus).
 */
export interface MmrConsistencyProofResult {
  /** Which MMR: `output` (outputRoot) or `header` (headerRoot). */
  mmr: "output" | "header";
  /** Leaf count of the older MMR. */
  oldCount: number;
  /** Leaf count of the newer MMR (≥ oldCount). */
  newCount: number;
  /** Root of the older MMR as stored (32 bytes hex). */
  oldRoot: string;
  /** Root of the newer MMR as stored (32 bytes hex). */
  newRoot: string;
  /** The older MMR's peaks, left to right (32 bytes hex each). */
  oldPeaks: string[];
  /** Climbing hashes, new mountains left to right (32 bytes hex each; docs/mmr.md §6.1). */
  path: string[];
  /** `encodeConsistencyProof` bytes (hex): `18 + 32·(oldPeaks + path)` bytes. */
  proof: string;
}

/**
 * Result of `get_cascade` (docs/cascade.md §6): the node's cascade of the headers at heights
 * ≤ tip − D, as `encodeCascade` bytes (`u8 1 ‖ u8 levels ‖ u32le K ‖ u32le n ‖ n × (u8 level ‖
 * header[488] ‖ levels × (u64le height ‖ hash[32]))`, newest first; at most levels × K nodes).
 * Decode and check with `decodeCascade(bytes, { levels, perLevel, depth })` (@baios/consensus).
 */
export interface CascadeResult {
  /** Height of the cascade's newest header (= tip − D; −1 while the chain is shorter than D + 1 blocks). */
  height: number;
  /** D, blocks (unbondingDelay + epochLength). */
  depth: number;
  /** Levels (32). */
  levels: number;
  /** K, most headers per level. */
  perLevel: number;
  /** Headers kept. */
  size: number;
  /** Headers kept per level, level 0 first (`levels` entries). */
  levelSizes: number[];
  /** `cascadeWork`: Σ blockWork(blockTarget)·2^level over the kept headers (decimal string). */
  work: string;
  /** Length of the encoded cascade in bytes. */
  bytes: number;
  /** The `encodeCascade` bytes (hex). */
  cascade: string;
}

/** One certified header of a `get_light_update` answer (docs/light-client.md §3); bytes are lowercase hex of canonical encodings. */
export interface LightStepJson {
  /** `encodeHeader` bytes (488 bytes, hex; docs/protocol.md §5). */
  header: string;
  /** `encodeCertificate` bytes of its finality certificate (48 + 96·votes bytes, hex; docs/protocol.md §9). */
  certificate: string;
  /**
   * `validatorSetBytes` of the set that finalizes the next block (`u32le n ‖ n × (publicKey[32] ‖
   * u64le stake)`, hex): present exactly when the header's `nextValidatorsHash ≠ validatorsHash`.
   */
  nextValidators?: string;
  /**
   * `encodeInclusionProof` (hex) of the previous step's block (or the request's `from` block) in
   * this header's header MMR (`headerRoot`, leafCount = this height): the link to the verified chain.
   */
  link: string;
}

/**
 * Result of `get_light_update { from, to? }` (docs/light-client.md §3): after block `from`, every
 * block in `(from, to]` whose header changes the validator set, ascending, then block `to` itself
 * unless it is the last change; `to` defaults to and is clipped to the tip. At most 64 steps; with
 * more changes `complete` is false and the answer ends at a change (ask again from it).
 */
export interface LightUpdateResult {
  /** The `from` asked for. */
  from: number;
  /** Where the update ends when complete (`to` clipped to the tip). */
  to: number;
  /** The node's tip height when it answered. */
  tip: number;
  /** Whether the steps reach `to`. */
  complete: boolean;
  /** The certified headers, heights strictly ascending, all above `from`. */
  steps: LightStepJson[];
}

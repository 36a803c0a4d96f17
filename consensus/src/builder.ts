/**
 * Block assembly for a miner or proposer (docs/protocol.md §5): coinbase paying reward + fees,
 * tx root, output MMR root and size (unbond payouts after the coinbase outputs), the body
 * commitments of header v2 (last certificate, evidence, unbonds), and the commitments to the past
 * (header MMR root, super-parents root, key-image set root after the block) and the staking-state
 * hash after the block (supplied by the caller). The header comes back
 * unmined (`powNonce` 0): grind it with `mineBlock` / `mineBlockYielding` (src/pow.ts).
 * The txs must already be valid against the parent state.
 * @module
 */
import { BLOCK_VERSION } from "./constants.ts";
import type { ChainParams } from "./params.ts";
import type { Block, Coinbase, Evidence, FinalityCertificate, BlockHeader, OutputRecord, Tx, Unbond, UnbondPayout } from "./types.ts";
import { blockHash, certificateHash, evidenceRoot, stakingRoot, txRoot } from "./hashes.ts";
import { blockReward } from "./emission.ts";
import { makeCoinbase, type Address } from "./coinbase.ts";
import type { Mmr, MmrAppendResult } from "./mmr/mmr.ts";
import { blockOutputs, outputLeaves } from "./validation/block.ts";
import { kisetInsertMany, type KisetBackend, type KisetInsertResult } from "./kiset/tree.ts";
import { isConsensusError } from "./errors.ts";
import { superParentsRoot, type SuperParents } from "./cascade/super-parents.ts";

/** Inputs of {@link assembleBlock}. */
export interface AssembleBlockInput {
  params: ChainParams;
  /** Header of the parent (current tip); the block's `validatorsHash` is its `nextValidatorsHash`. */
  parent: BlockHeader;
  /** Output MMR after the parent (not modified). */
  mmr: Mmr;
  /** Header MMR root after the parent (32 bytes; `parent.height + 1` leaves, docs/protocol.md §5.4): becomes `headerRoot`. */
  headerRoot: Uint8Array;
  /** Super-parent pointers after the parent (docs/cascade.md §3): `superParentsRoot` is their root. */
  superParents: SuperParents;
  /** Key-image set after the parent (read only): `keyImageRoot` is its root after the txs' key images. */
  kiset: KisetBackend;
  /** Transactions, in block order, valid against the parent state, key images disjoint. */
  txs: Tx[];
  /** Block time, ms since epoch (> parent time, docs/protocol.md §5.1). */
  timeMs: bigint;
  /** The block PoW target (32 bytes big-endian): `nextBlockTarget(parent, grandparentTimeMs, params)`. */
  blockTarget: Uint8Array;
  /** Hash of the validator set that finalizes the next block (32 bytes; the staking state's). */
  nextValidatorsHash: Uint8Array;
  /** `stakingStateHash` of the staking state after this block (32 bytes, docs/consensus.md §5.5): becomes the header's `stakingStateHash`. */
  stakingStateHash: Uint8Array;
  /** The parent's finality certificate (the child of genesis: `{height 0, round 0, blockHash: genesis hash, votes: []}`). */
  lastCertificate: FinalityCertificate;
  /** Unbond requests to include (default none). */
  unbonds?: Unbond[];
  /** Evidence to include (default none). */
  evidence?: Evidence[];
  /** Matured unbond payouts due at this height (staking state; default none). */
  payouts?: readonly UnbondPayout[];
  /** Where the reward and fees go. */
  rewardTo: Address;
  /** Coinbase tx secret `r` (32-byte scalar; random or derived per block). */
  coinbaseSecret: Uint8Array;
}

/** An assembled block with its hash and what applying it writes. */
export interface AssembledBlock {
  block: Block;
  /** Hash of the header as assembled (unmined: `powNonce` 0); recompute after mining. */
  hash: Uint8Array;
  /** New outputs in global-index order (coinbase, payouts, tx outputs). */
  newOutputs: OutputRecord[];
  mmr: MmrAppendResult;
  /**
   * Key-image set records to write and the root after the block; `undefined` when the txs' key
   * images cannot all enter the set (one repeated or already spent: the block is invalid and
   * `validateBlock` refuses it with `BLOCK_KEY_IMAGE_DUPLICATE` / `TX_KEY_IMAGE_SPENT`; its
   * `keyImageRoot` is then left as 32 zero bytes).
   */
  kiset: KisetInsertResult | undefined;
}

/**
 * The coinbase of block `height` (the one place it is derived): one output of
 * `blockReward(height) + Σ fees` (atomic units) to `rewardTo`, unlocking at
 * `height + coinbaseMaturity`, with tx secret `coinbaseSecret` (docs/protocol.md §4).
 * @throws CryptoError on invalid reward address keys
 */
export function blockCoinbase(params: ChainParams, height: bigint, txs: readonly Tx[], rewardTo: Address, coinbaseSecret: Uint8Array): Coinbase {
  const fees = txs.reduce((s, t) => s + t.fee, 0n);
  return makeCoinbase(height, coinbaseSecret, [{ to: rewardTo, amount: blockReward(height) + fees, unlockHeight: height + params.coinbaseMaturity }]);
}

/**
 * Builds the next block (unmined): {@link blockCoinbase}, then the header with tx root, output
 * MMR root and size after coinbase outputs, payouts and tx outputs, `validatorsHash =
 * parent.nextValidatorsHash`, the hashes of the certificate, evidence and unbonds, `headerRoot`,
 * `superParentsRoot` and the key-image root after the txs' key images (block order).
 * @throws CryptoError on invalid reward address keys; ConsensusError `KISET_STORE_CORRUPT`
 */
export async function assembleBlock(input: AssembleBlockInput): Promise<AssembledBlock> {
  const { params, parent } = input;
  const height = parent.height + 1n;
  const coinbase = blockCoinbase(params, height, input.txs, input.rewardTo, input.coinbaseSecret);
  const unbonds = input.unbonds ?? [];
  const evidence = input.evidence ?? [];
  const block: Block = {
    header: {
      version: BLOCK_VERSION,
      chainId: params.chainId,
      height,
      parentHash: blockHash(parent),
      timeMs: input.timeMs,
      txRoot: txRoot(coinbase, input.txs),
      outputRoot: new Uint8Array(32),
      outputCount: 0n,
      txPowTarget: params.txPowTarget.slice(),
      blockTarget: input.blockTarget.slice(),
      validatorsHash: parent.nextValidatorsHash.slice(),
      nextValidatorsHash: input.nextValidatorsHash.slice(),
      lastCertificateHash: certificateHash(input.lastCertificate),
      evidenceRoot: evidenceRoot(evidence),
      stakingRoot: stakingRoot(unbonds),
      headerRoot: input.headerRoot.slice(),
      superParentsRoot: superParentsRoot(input.superParents),
      keyImageRoot: new Uint8Array(32),
      stakingStateHash: input.stakingStateHash.slice(),
      powNonce: 0n,
    },
    coinbase,
    txs: input.txs,
    lastCertificate: input.lastCertificate,
    unbonds,
    evidence,
  };
  const newOutputs = blockOutputs(block, parent.outputCount, input.payouts ?? [], params.coinbaseMaturity);
  const mmr = await input.mmr.preview(outputLeaves(newOutputs));
  block.header.outputRoot = mmr.root;
  block.header.outputCount = mmr.leafCount;
  let kiset: KisetInsertResult | undefined;
  try {
    kiset = await kisetInsertMany(input.kiset, input.txs.flatMap((tx) => tx.inputs.map((i) => i.keyImage)));
    block.header.keyImageRoot = kiset.root;
  } catch (e) {
    if (!(isConsensusError(e) && (e.code === "KISET_DUPLICATE" || e.code === "KISET_MALFORMED"))) throw e;
  }
  return { block, hash: blockHash(block.header), newOutputs, mmr, kiset };
}

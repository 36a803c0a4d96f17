/**
 * Block assembly for a miner or proposer (docs/protocol.md §5): coinbase paying reward + fees,
 * tx root, output MMR root and size (unbond payouts after the coinbase outputs), the body
 * commitments of header v2 (last certificate, evidence, unbonds). The header comes back
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

/** Inputs of {@link assembleBlock}. */
export interface AssembleBlockInput {
  params: ChainParams;
  /** Header of the parent (current tip); the block's `validatorsHash` is its `nextValidatorsHash`. */
  parent: BlockHeader;
  /** Output MMR after the parent (not modified). */
  mmr: Mmr;
  /** Transactions, in block order, valid against the parent state, key images disjoint. */
  txs: Tx[];
  /** Block time, ms since epoch (> parent time, docs/protocol.md §5.1). */
  timeMs: bigint;
  /** The block PoW target (32 bytes big-endian): `nextBlockTarget(parent, grandparentTimeMs, params)`. */
  blockTarget: Uint8Array;
  /** Hash of the validator set that finalizes the next block (32 bytes; the staking state's). */
  nextValidatorsHash: Uint8Array;
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
 * parent.nextValidatorsHash`, and the hashes of the certificate, evidence and unbonds.
 * @throws CryptoError on invalid reward address keys
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
  return { block, hash: blockHash(block.header), newOutputs, mmr };
}

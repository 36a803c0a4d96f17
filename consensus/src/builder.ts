/**
 * Block assembly for the proposer (docs/protocol.md §5): coinbase paying reward + fees,
 * tx root, output MMR root and size. The txs must already be valid against the parent state.
 * @module
 */
import { BLOCK_VERSION } from "./constants.ts";
import type { ChainParams } from "./params.ts";
import type { Block, BlockHeader, Coinbase, OutputRecord, Tx } from "./types.ts";
import { blockHash, txRoot } from "./hashes.ts";
import { blockReward } from "./emission.ts";
import { makeCoinbase, type Address } from "./coinbase.ts";
import type { Mmr, MmrAppendResult } from "./mmr/mmr.ts";
import { blockOutputs, outputLeaves } from "./validation/block.ts";

/** Inputs of {@link assembleBlock}. */
export interface AssembleBlockInput {
  params: ChainParams;
  /** Header of the parent (current tip). */
  parent: BlockHeader;
  /** Output MMR after the parent (not modified). */
  mmr: Mmr;
  /** Transactions, in block order, valid against the parent state, key images disjoint. */
  txs: Tx[];
  /** Block time, ms since epoch (≥ parent time + blockTimeMs, docs/protocol.md §5.1; see `minChildTimeMs`). */
  timeMs: bigint;
  /** Proposer Ed25519 public key (32 bytes). */
  proposer: Uint8Array;
  /** Hash of the validator set that finalizes the block (32 bytes). */
  validatorsHash: Uint8Array;
  /** Where the reward and fees go. */
  rewardTo: Address;
  /** Coinbase tx secret `r` (32-byte scalar; random per block in production). */
  coinbaseSecret: Uint8Array;
}

/** An assembled block with its hash and what applying it writes. */
export interface AssembledBlock {
  block: Block;
  hash: Uint8Array;
  newOutputs: OutputRecord[];
  mmr: MmrAppendResult;
}

/**
 * Builds the next block: one coinbase output of `blockReward(height) + Σ fees` to `rewardTo`
 * (unlock at `height + coinbaseMaturity`), then the header.
 * @throws CryptoError on invalid reward address keys
 */
export async function assembleBlock(input: AssembleBlockInput): Promise<AssembledBlock> {
  const height = input.parent.height + 1n;
  const fees = input.txs.reduce((s, t) => s + t.fee, 0n);
  const coinbase: Coinbase = makeCoinbase(height, input.coinbaseSecret, [
    { to: input.rewardTo, amount: blockReward(height) + fees, unlockHeight: height + input.params.coinbaseMaturity },
  ]);
  const partial: Block = {
    header: {
      version: BLOCK_VERSION,
      chainId: input.params.chainId,
      height,
      parentHash: blockHash(input.parent),
      timeMs: input.timeMs,
      txRoot: txRoot(coinbase, input.txs),
      outputRoot: new Uint8Array(32),
      outputCount: 0n,
      txPowTarget: input.params.txPowTarget.slice(),
      validatorsHash: input.validatorsHash.slice(),
      proposer: input.proposer.slice(),
    },
    coinbase,
    txs: input.txs,
  };
  const newOutputs = blockOutputs(partial, input.parent.outputCount);
  const mmr = await input.mmr.preview(outputLeaves(newOutputs));
  partial.header.outputRoot = mmr.root;
  partial.header.outputCount = mmr.leafCount;
  return { block: partial, hash: blockHash(partial.header), newOutputs, mmr };
}

/**
 * Block validation (docs/protocol.md §5–§7), cheapest checks first:
 * size/decode → header links and fields → tx count and sizes → tx root → per-tx structure →
 * duplicate txs → Tx-PoW → key images unique in the block and unspent → one-time keys unique in
 * the block and new on chain → ring members →
 * points and balance → coinbase → output MMR root and size → MLSAGs → range proofs batch-verified
 * across the whole block. Nothing is stored; the node applies {@link ValidatedBlock} in one batch.
 * @module
 */
import { checkPoint } from "@baios/crypto";
import { BLOCK_VERSION } from "../constants.ts";
import { ConsensusError, isConsensusError, wrapCryptoError } from "../errors.ts";
import type { ChainParams } from "../params.ts";
import type { Block, BlockHeader, ChainView, OutputRecord, Tx } from "../types.ts";
import { blockWireSize, decodeBlock, txWireSize } from "../encoding/wire.ts";
import { equalBytes, toHex } from "../encoding/bytes.ts";
import { blockHash, txId, txRoot, txSigningHash } from "../hashes.ts";
import { blockReward } from "../emission.ts";
import { coinbaseCommitment } from "../coinbase.ts";
import { mmrLeafHash } from "../mmr/proof.ts";
import type { Mmr, MmrAppendResult } from "../mmr/mmr.ts";
import { checkTxStructure } from "./structure.ts";
import {
  checkKeyImagesUnspent,
  checkOneTimeKeysUnused,
  checkPointsAndBalance,
  checkTxPow,
  localVerifier,
  mlsagJobs,
  rangeProofJob,
  resolveRings,
  type MlsagJob,
  type RangeProofJob,
  type Verifier,
} from "./stages.ts";

/** What a block is validated against: the chain state after its parent. */
export interface BlockContext {
  params: ChainParams;
  /** Header of the parent (the current tip). */
  parent: BlockHeader;
  /** Chain state after the parent (`view.height === parent.height`). */
  view: ChainView;
  /** Output MMR after the parent (`mmr.leafCount === parent.outputCount`). Not modified. */
  mmr: Mmr;
  /** Hash of the validator set that must finalize this block (from the engine). */
  validatorsHash: Uint8Array;
  /** The proposer the engine expects (32 bytes), or undefined to skip (the engine checks it). */
  expectedProposer?: Uint8Array;
  /** Local clock, ms since epoch; when set, a block more than maxFutureBlockTimeMs ahead is IGNOREd. */
  nowMs?: bigint;
  /** Runs MLSAGs and the range-proof batch (the node's worker pool). Default: on this thread. */
  verifier?: Verifier;
}

/** A block that passed validation, with everything the node writes in its atomic batch. */
export interface ValidatedBlock {
  block: Block;
  /** Block hash (32 bytes). */
  hash: Uint8Array;
  /** Tx ids in block order (32 bytes each). */
  txids: Uint8Array[];
  /** New outputs in global-index order: coinbase outputs first, then each tx's outputs. */
  newOutputs: OutputRecord[];
  /** Key images spent by the block (32 bytes each). */
  keyImages: Uint8Array[];
  /** The MMR nodes to write, and the new root and size. */
  mmr: MmrAppendResult;
  /** Block reward (atomic units). */
  reward: bigint;
  /** Sum of the tx fees (atomic units). */
  fees: bigint;
}

/**
 * The earliest time a child of `parent` may carry (docs/protocol.md §5.1):
 * `parent.timeMs + blockTimeMs` (ms since epoch). There is no tolerance below it: the bound
 * compares two header fields, not a clock, so honest proposers always meet it exactly
 * (a proposer whose clock is behind stamps this time). It caps emission at one block reward
 * per `blockTimeMs` of block time, and block time cannot run more than
 * `maxFutureBlockTimeMs` ahead of honest clocks.
 */
export function minChildTimeMs(parent: BlockHeader, params: ChainParams): bigint {
  return parent.timeMs + BigInt(params.blockTimeMs);
}

/** Unlock height of a regular tx output created in block `height`: spendable from the next block. */
export const regularUnlockHeight = (height: bigint): bigint => height + 1n;

/**
 * The outputs a block creates, in global-index order, starting at `firstIndex`
 * (coinbase outputs, then tx outputs in block order).
 */
export function blockOutputs(block: Block, firstIndex: bigint): OutputRecord[] {
  const out: OutputRecord[] = [];
  let gi = firstIndex;
  for (const o of block.coinbase.outputs) out.push({ globalIndex: gi++, oneTimeKey: o.oneTimeKey, commitment: coinbaseCommitment(o.amount), unlockHeight: o.unlockHeight });
  const unlock = regularUnlockHeight(block.header.height);
  for (const tx of block.txs) for (const o of tx.outputs) out.push({ globalIndex: gi++, oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight: unlock });
  return out;
}

/** MMR leaf hashes of output records. */
export function outputLeaves(records: readonly OutputRecord[]): Uint8Array[] {
  return records.map((r) => mmrLeafHash(r.globalIndex, r.oneTimeKey, r.commitment));
}

function txErr(e: unknown, i: number): never {
  if (isConsensusError(e)) throw e.withContext(`txs[${i}]`, { action: "REJECT", index: i });
  throw e;
}

/**
 * Checks the coinbase of a non-genesis block: height, output count, unlock heights, valid
 * keys, and `Σ amounts == blockReward(height) + fees`.
 * @throws ConsensusError `BLOCK_COINBASE_INVALID`, `BLOCK_COINBASE_AMOUNT`
 */
export function checkCoinbase(block: Block, params: ChainParams, fees: bigint): bigint {
  const h = block.header.height;
  const cb = block.coinbase;
  if (cb.height !== h) throw new ConsensusError("BLOCK_COINBASE_INVALID", `coinbase height ${cb.height} != block height ${h}`);
  if (cb.outputs.length < 1 || cb.outputs.length > params.maxOutputs) throw new ConsensusError("BLOCK_COINBASE_INVALID", `${cb.outputs.length} coinbase outputs, allowed 1..=${params.maxOutputs}`);
  const keys = new Set<string>();
  const pt = (p: Uint8Array, field: string): void => {
    try {
      checkPoint(p);
    } catch (e) {
      const w = wrapCryptoError(e, field, "BLOCK_COINBASE_INVALID");
      throw new ConsensusError("BLOCK_COINBASE_INVALID", w.reason);
    }
  };
  pt(cb.txPublicKey, "coinbase.txPublicKey");
  let sum = 0n;
  cb.outputs.forEach((o, j) => {
    if (o.unlockHeight !== h + params.coinbaseMaturity) {
      throw new ConsensusError("BLOCK_COINBASE_INVALID", `coinbase.outputs[${j}].unlockHeight ${o.unlockHeight} != ${h + params.coinbaseMaturity}`);
    }
    pt(o.oneTimeKey, `coinbase.outputs[${j}].oneTimeKey`);
    const k = toHex(o.oneTimeKey);
    if (keys.has(k)) throw new ConsensusError("BLOCK_COINBASE_INVALID", `coinbase.outputs[${j}].oneTimeKey repeated`);
    keys.add(k);
    sum += o.amount;
  });
  const reward = blockReward(h);
  if (sum !== reward + fees) throw new ConsensusError("BLOCK_COINBASE_AMOUNT", `coinbase pays ${sum}, expected reward ${reward} + fees ${fees} = ${reward + fees}`);
  return reward;
}

/**
 * Validates a block (wire bytes or decoded) against the state after its parent.
 * @throws ConsensusError: block codes, or a tx code with `reason` prefixed `txs[i]`, `index = i`
 *   and action REJECT (the proposer is at fault)
 */
export async function validateBlock(input: Uint8Array | Block, ctx: BlockContext): Promise<ValidatedBlock> {
  const { params, parent, view } = ctx;
  // -- size and decode
  let block: Block;
  if (input instanceof Uint8Array) block = decodeBlock(input, params.maxBlockBytes);
  else {
    block = input;
    const n = blockWireSize(block);
    if (n > params.maxBlockBytes) throw new ConsensusError("BLOCK_OVERSIZED", `${n} bytes > ${params.maxBlockBytes}`);
  }
  const h = block.header;
  // -- header
  if (h.version !== BLOCK_VERSION) throw new ConsensusError("BLOCK_UNSUPPORTED_VERSION", `version ${h.version}`);
  if (h.chainId !== params.chainId) throw new ConsensusError("BLOCK_WRONG_CHAIN", `chainId ${h.chainId}, expected ${params.chainId}`);
  if (h.height !== parent.height + 1n) throw new ConsensusError("BLOCK_BAD_HEIGHT", `height ${h.height}, expected ${parent.height + 1n}`);
  if (!equalBytes(h.parentHash, blockHash(parent))) throw new ConsensusError("BLOCK_BAD_PARENT", "parentHash is not the tip's hash");
  const minTime = minChildTimeMs(parent, params);
  if (h.timeMs < minTime) throw new ConsensusError("BLOCK_BAD_TIME", `time ${h.timeMs} < parent time ${parent.timeMs} + blockTimeMs ${params.blockTimeMs}`);
  if (ctx.nowMs !== undefined && h.timeMs > ctx.nowMs + BigInt(params.maxFutureBlockTimeMs)) throw new ConsensusError("BLOCK_FUTURE_TIME", `time ${h.timeMs} > now ${ctx.nowMs} + ${params.maxFutureBlockTimeMs}`);
  if (!equalBytes(h.txPowTarget, params.txPowTarget)) throw new ConsensusError("BLOCK_TXPOW_TARGET", "txPowTarget differs from the chain's");
  if (!equalBytes(h.validatorsHash, ctx.validatorsHash)) throw new ConsensusError("BLOCK_VALIDATORS_HASH", "validatorsHash differs from the current set");
  if (ctx.expectedProposer !== undefined && !equalBytes(h.proposer, ctx.expectedProposer)) throw new ConsensusError("BLOCK_WRONG_PROPOSER", "proposer is not the scheduled validator");
  if (block.txs.length > params.maxBlockTxs) throw new ConsensusError("BLOCK_TOO_MANY_TXS", `${block.txs.length} txs > ${params.maxBlockTxs}`);
  // -- per-tx size and structure (cheap)
  block.txs.forEach((tx, i) => {
    try {
      const n = txWireSize(tx);
      if (n > params.maxTxBytes) throw new ConsensusError("TX_OVERSIZED", `${n} bytes > ${params.maxTxBytes}`);
      checkTxStructure(tx, params);
    } catch (e) {
      txErr(e, i);
    }
  });
  // -- tx root and duplicates
  const txids = block.txs.map((tx) => txId(tx));
  if (!equalBytes(txRoot(block.coinbase, block.txs, txids), h.txRoot)) throw new ConsensusError("BLOCK_TX_ROOT_MISMATCH", "txRoot does not match the coinbase and txs");
  const seenTx = new Set<string>();
  txids.forEach((id, i) => {
    const k = toHex(id);
    if (seenTx.has(k)) throw new ConsensusError("BLOCK_DUPLICATE_TX", `txs[${i}] repeats an earlier tx`, { index: i });
    seenTx.add(k);
  });
  // -- Tx-PoW
  block.txs.forEach((tx, i) => {
    try {
      checkTxPow(txids[i] as Uint8Array, tx.powNonce, params.txPowTarget);
    } catch (e) {
      txErr(e, i);
    }
  });
  // -- key images: unique in the block, unspent on chain
  const seenKi = new Set<string>();
  const keyImages: Uint8Array[] = [];
  block.txs.forEach((tx, i) =>
    tx.inputs.forEach((inp, j) => {
      const k = toHex(inp.keyImage);
      if (seenKi.has(k)) throw new ConsensusError("BLOCK_KEY_IMAGE_DUPLICATE", `txs[${i}].inputs[${j}].keyImage is spent by an earlier tx of the block`, { index: i });
      seenKi.add(k);
      keyImages.push(inp.keyImage);
    }),
  );
  for (let i = 0; i < block.txs.length; i++) {
    try {
      await checkKeyImagesUnspent(block.txs[i] as Tx, view);
    } catch (e) {
      txErr(e, i);
    }
  }
  // -- one-time keys: unique in the block (coinbase and txs), none on chain (burning bug, §7.1)
  const seenOtk = new Map<string, string>();
  const otk = (key: Uint8Array, where: string): void => {
    const k = toHex(key);
    const first = seenOtk.get(k);
    if (first !== undefined) throw new ConsensusError("BLOCK_ONE_TIME_KEY_DUPLICATE", `${where}.oneTimeKey repeats ${first}.oneTimeKey`);
    seenOtk.set(k, where);
  };
  block.coinbase.outputs.forEach((o, j) => otk(o.oneTimeKey, `coinbase.outputs[${j}]`));
  block.txs.forEach((tx, i) => tx.outputs.forEach((o, j) => otk(o.oneTimeKey, `txs[${i}].outputs[${j}]`)));
  const cbUsed = await view.areOneTimeKeysUsed(block.coinbase.outputs.map((o) => o.oneTimeKey));
  const cbj = cbUsed.indexOf(true);
  if (cbj >= 0) throw new ConsensusError("BLOCK_ONE_TIME_KEY_DUPLICATE", `coinbase.outputs[${cbj}].oneTimeKey already exists on chain`);
  for (let i = 0; i < block.txs.length; i++) {
    try {
      await checkOneTimeKeysUnused(block.txs[i] as Tx, view);
    } catch (e) {
      txErr(e, i);
    }
  }
  // -- ring members, points and balance
  const allJobs: MlsagJob[] = [];
  const rangeJobs: RangeProofJob[] = [];
  let fees = 0n;
  for (let i = 0; i < block.txs.length; i++) {
    const tx = block.txs[i] as Tx;
    try {
      const rings = await resolveRings(tx, view, h.height);
      checkPointsAndBalance(tx);
      allJobs.push(...mlsagJobs(tx, txSigningHash(tx), rings, i));
      rangeJobs.push(rangeProofJob(tx, i));
    } catch (e) {
      txErr(e, i);
    }
    fees += tx.fee;
  }
  // -- coinbase
  const reward = checkCoinbase(block, params, fees);
  // -- output MMR
  if (ctx.mmr.leafCount !== parent.outputCount) throw new Error(`MMR size ${ctx.mmr.leafCount} != parent outputCount ${parent.outputCount}`);
  const newOutputs = blockOutputs(block, parent.outputCount);
  const mmr = await ctx.mmr.preview(outputLeaves(newOutputs));
  if (mmr.leafCount !== h.outputCount) throw new ConsensusError("BLOCK_OUTPUT_COUNT_MISMATCH", `outputCount ${h.outputCount}, expected ${mmr.leafCount}`);
  if (!equalBytes(mmr.root, h.outputRoot)) throw new ConsensusError("BLOCK_OUTPUT_ROOT_MISMATCH", "outputRoot does not match the MMR after this block");
  // -- MLSAGs, then range proofs batched across the block
  const verifier = ctx.verifier ?? localVerifier;
  const perTx = new Map<number, MlsagJob[]>();
  for (const j of allJobs) {
    const list = perTx.get(j.txIndex) ?? [];
    list.push(j);
    perTx.set(j.txIndex, list);
  }
  await Promise.all(
    [...perTx].map(([ti, jobs]) =>
      verifier.verifyMlsag(jobs).catch((e: unknown) => {
        txErr(e, ti);
      }),
    ),
  );
  try {
    await verifier.verifyRangeProofs(rangeJobs);
  } catch (e) {
    if (isConsensusError(e)) {
      if (e.index === undefined) throw new ConsensusError("BLOCK_RANGE_PROOFS_INVALID", e.reason);
      throw e.withContext(`txs[${e.index}]`, { action: "REJECT", index: e.index });
    }
    throw e;
  }
  return { block, hash: blockHash(h), txids, newOutputs, keyImages, mmr, reward, fees };
}

/**
 * Block validation (docs/protocol.md §5–§7), cheapest checks first:
 * size/decode → header links, time, target, PoW (one hash), validator-set hashes, staking-state hash, header MMR
 * root and super-parents root → body
 * counts → body commitments (lastCertificateHash, evidenceRoot, stakingRoot) → per-tx size and
 * structure → tx root → duplicate txs → Tx-PoW → parent's finality certificate → unbond and
 * evidence signatures → key images unique in the block and unspent → one-time keys unique in the
 * block (coinbase, payouts, unbonds, txs) and new on chain → staking hook → ring members →
 * points, balance and bond consent → coinbase → output MMR root and size (payouts after the
 * coinbase) → key-image set root → MLSAGs → range proofs batch-verified across the whole block. Nothing is stored;
 * the node applies {@link ValidatedBlock} in one batch.
 * @module
 */
import { checkPoint } from "@baios/crypto";
import { BLOCK_VERSION, MAX_BLOCK_EVIDENCE, MAX_BLOCK_UNBONDS } from "../constants.ts";
import { ConsensusError, isConsensusError, wrapCryptoError } from "../errors.ts";
import type { ChainParams } from "../params.ts";
import type { Block, BlockHeader, ChainView, FinalityCertificate, OutputRecord, Tx, UnbondPayout } from "../types.ts";
import { blockWireSize, decodeBlock, txWireSize } from "../encoding/wire.ts";
import { equalBytes, toHex } from "../encoding/bytes.ts";
import { blockHash, certificateHash, evidenceRoot, stakingRoot, txId, txRoot, txSigningHash } from "../hashes.ts";
import { checkBlockPow, nextBlockTarget } from "../pow.ts";
import { blockReward } from "../emission.ts";
import { coinbaseCommitment } from "../coinbase.ts";
import { mmrLeafHash } from "../mmr/proof.ts";
import type { Mmr, MmrAppendResult } from "../mmr/mmr.ts";
import { kisetInsertMany, type KisetBackend, type KisetInsertResult } from "../kiset/tree.ts";
import { nextSuperParents, superParentsRoot, type SuperParents } from "../cascade/super-parents.ts";
import { checkTxStructure } from "./structure.ts";
import { checkEvidenceList, checkLastCertificate, checkUnbonds } from "./body.ts";
import {
  checkKeyImagesUnspent,
  checkOneTimeKeysUnused,
  checkPointsAndBalance,
  checkStakeSignature,
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
  /** Header of the parent (the current tip). The block's `validatorsHash` must be its `nextValidatorsHash`. */
  parent: BlockHeader;
  /** `timeMs` of the parent's parent (ms), for the retarget; `undefined` iff the parent is genesis. */
  grandparentTimeMs: bigint | undefined;
  /** Chain state after the parent (`view.height === parent.height`). */
  view: ChainView;
  /** Output MMR after the parent (`mmr.leafCount === parent.outputCount`). Not modified. */
  mmr: Mmr;
  /** The `nextValidatorsHash` this block must carry (32 bytes): the staking state's set for the next height. */
  expectedNextValidatorsHash: Uint8Array;
  /**
   * The `stakingStateHash` this block must carry (32 bytes, docs/consensus.md §5.5):
   * `stakingStateHash(applyStakingBlock(state after the parent, this block's staking input))`,
   * computed by the caller (the node's executor runs the staking transition before validation).
   */
  expectedStakingStateHash: Uint8Array;
  /**
   * The `headerRoot` this block must carry (32 bytes, docs/protocol.md §5.4): the root of the
   * header MMR after the parent, whose `parent.height + 1` leaves are `headerLeafHash` of the
   * block hashes of genesis … parent.
   */
  expectedHeaderRoot: Uint8Array;
  /**
   * Super-parent pointers after the parent (docs/cascade.md §3; genesis's child: `nextSuperParents(emptySuperParents(), genesis)`).
   * The block's `superParentsRoot` must be `superParentsRoot(superParents)`. Not modified.
   */
  superParents: SuperParents;
  /**
   * The key-image set after the parent (docs/protocol.md §15), read only: the block's
   * `keyImageRoot` must be the root after inserting its key images in block order
   * (`kisetInsertMany`). Required unless {@link BlockContext.skipKeyImageRoot}.
   */
  kiset?: KisetBackend;
  /**
   * Historical re-validation only (invalid-attestation evidence, docs/consensus.md §6.3): skip
   * the `keyImageRoot` check, because a node keeps only the current key-image tree, not the
   * tree as of an old parent. Every other check still runs. Never set for a block on the tip.
   */
  skipKeyImageRoot?: boolean;
  /**
   * Verifies the body's `lastCertificate` (already checked to be for the parent's height and
   * hash, and not called for a genesis parent) against the parent's validator set, e.g. with
   * `verifyFinalityCertificate`. Throws `CERT_*`.
   */
  verifyLastCertificate(cert: FinalityCertificate, parent: BlockHeader): void | Promise<void>;
  /**
   * Matured unbond payouts due at this height (staking state), in payout order; appended to the
   * output MMR right after the coinbase outputs. Default none.
   */
  payouts?: readonly UnbondPayout[];
  /**
   * The staking module's state checks of the body (bond txs, unbonds against bonded stake,
   * evidence offenders in the set, invalid attestations re-validated), run after the stateless
   * body checks and before ring members are resolved. Throws a ConsensusError to reject.
   */
  checkStaking?(block: Block): void | Promise<void>;
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
  /** New outputs in global-index order: coinbase outputs, unbond payouts, then each tx's outputs. */
  newOutputs: OutputRecord[];
  /** Key images spent by the block (32 bytes each). */
  keyImages: Uint8Array[];
  /**
   * One-time keys of the block's unbond requests (32 bytes each): the node marks them used in its
   * one-time-key index at once, so no output can take a key before its payout (§7.1).
   */
  reservedOneTimeKeys: Uint8Array[];
  /** The MMR nodes to write, and the new root and size. */
  mmr: MmrAppendResult;
  /** Super-parent pointers after this block (`nextSuperParents(ctx.superParents, header)`): what its child commits to. */
  superParents: SuperParents;
  /** Key-image set records to write and the root after this block; `undefined` when {@link BlockContext.skipKeyImageRoot}. */
  kiset: KisetInsertResult | undefined;
  /** Block reward (atomic units). */
  reward: bigint;
  /** Sum of the tx fees (atomic units). */
  fees: bigint;
}

/**
 * The earliest time a child of `parent` may carry (docs/protocol.md §5.1): `parent.timeMs + 1`
 * (ms since epoch; block times strictly increase). The block rate is set by the PoW target,
 * which retargets every block toward `blockTimeMs` (§5.2).
 */
export function minChildTimeMs(parent: BlockHeader): bigint {
  return parent.timeMs + 1n;
}

/** Unlock height of a regular tx output created in block `height`: spendable from the next block. */
export const regularUnlockHeight = (height: bigint): bigint => height + 1n;

/**
 * The outputs a block creates, in global-index order, starting at `firstIndex`: coinbase
 * outputs, then the unbond `payouts` due at this height (commitment `commit(amount, 1)`, unlock
 * `height + coinbaseMaturity`; `coinbaseMaturity` is needed only when there are payouts), then
 * tx outputs in block order (docs/protocol.md §5.3).
 * @throws Error when payouts are given without `coinbaseMaturity`
 */
export function blockOutputs(block: Block, firstIndex: bigint, payouts: readonly UnbondPayout[] = [], coinbaseMaturity?: bigint): OutputRecord[] {
  const out: OutputRecord[] = [];
  let gi = firstIndex;
  for (const o of block.coinbase.outputs) out.push({ globalIndex: gi++, oneTimeKey: o.oneTimeKey, commitment: coinbaseCommitment(o.amount), unlockHeight: o.unlockHeight });
  if (payouts.length > 0) {
    if (coinbaseMaturity === undefined) throw new Error("blockOutputs: payouts need coinbaseMaturity");
    const payoutUnlock = block.header.height + coinbaseMaturity;
    for (const p of payouts) out.push({ globalIndex: gi++, oneTimeKey: p.oneTimeKey, commitment: coinbaseCommitment(p.amount), unlockHeight: payoutUnlock });
  }
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
  // -- header links, time, target, PoW
  if (h.version !== BLOCK_VERSION) throw new ConsensusError("BLOCK_UNSUPPORTED_VERSION", `version ${h.version}, expected ${BLOCK_VERSION}`);
  if (h.chainId !== params.chainId) throw new ConsensusError("BLOCK_WRONG_CHAIN", `chainId ${h.chainId}, expected ${params.chainId}`);
  if (h.height !== parent.height + 1n) throw new ConsensusError("BLOCK_BAD_HEIGHT", `height ${h.height}, expected ${parent.height + 1n}`);
  const parentHash = blockHash(parent);
  if (!equalBytes(h.parentHash, parentHash)) throw new ConsensusError("BLOCK_BAD_PARENT", "parentHash is not the tip's hash");
  if (h.timeMs < minChildTimeMs(parent)) throw new ConsensusError("BLOCK_BAD_TIME", `time ${h.timeMs} is not after the parent's time ${parent.timeMs}`);
  if (ctx.nowMs !== undefined && h.timeMs > ctx.nowMs + BigInt(params.maxFutureBlockTimeMs)) throw new ConsensusError("BLOCK_FUTURE_TIME", `time ${h.timeMs} > now ${ctx.nowMs} + ${params.maxFutureBlockTimeMs}`);
  if (!equalBytes(h.txPowTarget, params.txPowTarget)) throw new ConsensusError("BLOCK_TXPOW_TARGET", "txPowTarget differs from the chain's");
  if (!equalBytes(h.blockTarget, nextBlockTarget(parent, ctx.grandparentTimeMs, params))) throw new ConsensusError("BLOCK_BAD_TARGET", "blockTarget differs from the retarget of the parent (docs/protocol.md §5.2)");
  const hash = blockHash(h);
  checkBlockPow(h, hash);
  if (!equalBytes(h.validatorsHash, parent.nextValidatorsHash)) throw new ConsensusError("BLOCK_VALIDATORS_HASH", "validatorsHash differs from the parent's nextValidatorsHash");
  if (!equalBytes(h.nextValidatorsHash, ctx.expectedNextValidatorsHash)) throw new ConsensusError("BLOCK_NEXT_VALIDATORS_HASH", "nextValidatorsHash differs from the staking state's next validator set");
  if (!equalBytes(h.stakingStateHash, ctx.expectedStakingStateHash)) throw new ConsensusError("BLOCK_STAKING_STATE_MISMATCH", "stakingStateHash differs from the staking state after this block (docs/consensus.md §5.5)");
  // -- commitments to the past: header MMR (§5.4) and super-parent pointers (docs/cascade.md §3)
  if (!equalBytes(h.headerRoot, ctx.expectedHeaderRoot)) throw new ConsensusError("BLOCK_HEADER_ROOT_MISMATCH", `headerRoot differs from the MMR of the ${parent.height + 1n} earlier block hashes`);
  if (!equalBytes(h.superParentsRoot, superParentsRoot(ctx.superParents))) throw new ConsensusError("BLOCK_SUPER_PARENTS_MISMATCH", "superParentsRoot differs from the super-parent pointers after the parent");
  const superParents = nextSuperParents(ctx.superParents, h, hash);
  // -- body counts and commitments
  if (block.txs.length > params.maxBlockTxs) throw new ConsensusError("BLOCK_TOO_MANY_TXS", `${block.txs.length} txs > ${params.maxBlockTxs}`);
  if (block.unbonds.length > MAX_BLOCK_UNBONDS) throw new ConsensusError("BLOCK_TOO_MANY_UNBONDS", `${block.unbonds.length} unbonds > ${MAX_BLOCK_UNBONDS}`);
  if (block.evidence.length > MAX_BLOCK_EVIDENCE) throw new ConsensusError("BLOCK_TOO_MANY_EVIDENCE", `${block.evidence.length} evidence items > ${MAX_BLOCK_EVIDENCE}`);
  if (!equalBytes(h.lastCertificateHash, certificateHash(block.lastCertificate))) throw new ConsensusError("BLOCK_LAST_CERTIFICATE_MISMATCH", "lastCertificateHash does not match the body's certificate");
  if (!equalBytes(h.evidenceRoot, evidenceRoot(block.evidence))) throw new ConsensusError("BLOCK_EVIDENCE_ROOT_MISMATCH", "evidenceRoot does not match the body's evidence");
  if (!equalBytes(h.stakingRoot, stakingRoot(block.unbonds))) throw new ConsensusError("BLOCK_STAKING_ROOT_MISMATCH", "stakingRoot does not match the body's unbonds");
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
  // -- the parent's finality certificate, unbond and evidence signatures (Ed25519)
  await checkLastCertificate(block.lastCertificate, parent, parentHash, ctx.verifyLastCertificate);
  checkUnbonds(block.unbonds, params.chainId);
  checkEvidenceList(block.evidence, { chainId: params.chainId, height: h.height, maxAge: params.unbondingDelay, maxBlockBytes: params.maxBlockBytes });
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
  // -- one-time keys: unique in the block (coinbase, payouts, unbonds, txs); none on chain (burning
  //    bug, §7.1) except payouts, whose keys were reserved when their unbond was included
  const seenOtk = new Map<string, string>();
  const otk = (key: Uint8Array, where: string): void => {
    const k = toHex(key);
    const first = seenOtk.get(k);
    if (first !== undefined) throw new ConsensusError("BLOCK_ONE_TIME_KEY_DUPLICATE", `${where}.oneTimeKey repeats ${first}.oneTimeKey`);
    seenOtk.set(k, where);
  };
  const payouts = ctx.payouts ?? [];
  block.coinbase.outputs.forEach((o, j) => otk(o.oneTimeKey, `coinbase.outputs[${j}]`));
  payouts.forEach((p, j) => otk(p.oneTimeKey, `payouts[${j}]`));
  block.unbonds.forEach((u, j) => otk(u.oneTimeKey, `unbonds[${j}]`));
  block.txs.forEach((tx, i) => tx.outputs.forEach((o, j) => otk(o.oneTimeKey, `txs[${i}].outputs[${j}]`)));
  const cbUsed = await view.areOneTimeKeysUsed(block.coinbase.outputs.map((o) => o.oneTimeKey));
  const cbj = cbUsed.indexOf(true);
  if (cbj >= 0) throw new ConsensusError("BLOCK_ONE_TIME_KEY_DUPLICATE", `coinbase.outputs[${cbj}].oneTimeKey already exists on chain`);
  if (block.unbonds.length > 0) {
    const ubUsed = await view.areOneTimeKeysUsed(block.unbonds.map((u) => u.oneTimeKey));
    const ubj = ubUsed.indexOf(true);
    if (ubj >= 0) throw new ConsensusError("BLOCK_ONE_TIME_KEY_DUPLICATE", `unbonds[${ubj}].oneTimeKey already exists on chain`, { index: ubj });
  }
  for (let i = 0; i < block.txs.length; i++) {
    try {
      await checkOneTimeKeysUnused(block.txs[i] as Tx, view);
    } catch (e) {
      txErr(e, i);
    }
  }
  // -- staking state (bonds, unbonds, evidence offenders)
  if (ctx.checkStaking !== undefined) await ctx.checkStaking(block);
  // -- ring members, points, balance and a bond's validator consent
  const allJobs: MlsagJob[] = [];
  const rangeJobs: RangeProofJob[] = [];
  let fees = 0n;
  for (let i = 0; i < block.txs.length; i++) {
    const tx = block.txs[i] as Tx;
    try {
      const rings = await resolveRings(tx, view, h.height);
      checkPointsAndBalance(tx);
      checkStakeSignature(tx);
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
  const newOutputs = blockOutputs(block, parent.outputCount, payouts, params.coinbaseMaturity);
  const mmr = await ctx.mmr.preview(outputLeaves(newOutputs));
  if (mmr.leafCount !== h.outputCount) throw new ConsensusError("BLOCK_OUTPUT_COUNT_MISMATCH", `outputCount ${h.outputCount}, expected ${mmr.leafCount}`);
  if (!equalBytes(mmr.root, h.outputRoot)) throw new ConsensusError("BLOCK_OUTPUT_ROOT_MISMATCH", "outputRoot does not match the MMR after this block");
  // -- key-image set root after this block's key images, in block order (§15)
  const kiset = ctx.skipKeyImageRoot === true ? undefined : await keyImageRootAfter(ctx.kiset, keyImages);
  if (kiset !== undefined && !equalBytes(kiset.root, h.keyImageRoot)) throw new ConsensusError("BLOCK_KEY_IMAGE_ROOT_MISMATCH", "keyImageRoot does not match the key-image set after this block");
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
  return { block, hash, txids, newOutputs, keyImages, reservedOneTimeKeys: block.unbonds.map((u) => u.oneTimeKey), mmr, superParents, kiset, reward, fees };
}

/**
 * The key-image set after inserting `keyImages` (one block's, in block order) into `backend`
 * (not modified): root and records to write (docs/protocol.md §15.2).
 * @throws Error when `backend` is missing, or when the tree already holds one of the key images
 *   although the chain view called them unspent (a local store inconsistency, not a verdict on the block)
 */
export async function keyImageRootAfter(backend: KisetBackend | undefined, keyImages: readonly Uint8Array[]): Promise<KisetInsertResult> {
  if (backend === undefined) throw new Error("BlockContext.kiset is required unless skipKeyImageRoot is set");
  try {
    return await kisetInsertMany(backend, keyImages);
  } catch (e) {
    if (isConsensusError(e) && e.code === "KISET_DUPLICATE") throw new Error(`key-image tree and key-image index disagree: ${e.reason}`, { cause: e });
    throw e;
  }
}

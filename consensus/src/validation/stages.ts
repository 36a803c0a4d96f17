/**
 * Pipeline steps 2–7 as separate functions over plain data (docs/protocol.md §3.5).
 * Steps 6 (MLSAG, per input) and 7 (range proofs, batched per block) take only
 * `Uint8Array`s/numbers/bigints ({@link MlsagJob}, {@link RangeProofJob}) so the node's
 * worker-thread pool can run them: post the job, call {@link verifyMlsagJob} /
 * {@link verifyRangeProofJobs} in the worker, send back `ConsensusError.toJSON()` on failure.
 * @module
 */
import { balanceCheck, checkPoint, ed25519Verify, mlsagVerify, rangeBatchVerify, rangeVerify, txPowVerify } from "@baios/crypto";
import { ConsensusError, isCryptoError, wrapCryptoError } from "../errors.ts";
import type { ChainView, OutputRecord, Tx } from "../types.ts";
import { bondConsentMessage } from "../hashes.ts";

// ------------------------------------------------------------------ step 2: Tx-PoW

/**
 * Step 2: the Tx-PoW. `SHA3-256(tag ‖ txid ‖ u64le(nonce)) ≤ target` (docs/crypto.md §7).
 * @param txid 32 bytes ({@link txId}); target 32 bytes big-endian
 * @throws ConsensusError `TX_POW_INSUFFICIENT`
 */
export function checkTxPow(txid: Uint8Array, nonce: bigint, target: Uint8Array): void {
  try {
    txPowVerify(txid, nonce, target);
  } catch (e) {
    throw wrapCryptoError(e, "powNonce", "TX_POW_INSUFFICIENT");
  }
}

// ------------------------------------------------------------------ step 3: key images

/**
 * Step 3: no key image of the tx is spent on chain.
 * @throws ConsensusError `TX_KEY_IMAGE_SPENT` (index = input)
 */
export async function checkKeyImagesUnspent(tx: Tx, view: ChainView): Promise<void> {
  for (let i = 0; i < tx.inputs.length; i++) {
    const inp = tx.inputs[i] as Tx["inputs"][number];
    if (await view.isKeyImageSpent(inp.keyImage)) throw new ConsensusError("TX_KEY_IMAGE_SPENT", `inputs[${i}].keyImage is already spent`, { index: i });
  }
}

// ------------------------------------------------------------------ step 3b: one-time keys

/**
 * Step 3b: no output one-time key of the tx exists on chain (docs/protocol.md §7.1, the burning
 * bug). Two outputs with one key share one key image, so only one of them could ever be spent;
 * a wallet shown both would credit funds that are burnt. One batched `ChainView` lookup.
 * @throws ConsensusError `TX_ONE_TIME_KEY_EXISTS` (index = output)
 */
export async function checkOneTimeKeysUnused(tx: Tx, view: ChainView): Promise<void> {
  const used = await view.areOneTimeKeysUsed(tx.outputs.map((o) => o.oneTimeKey));
  if (used.length !== tx.outputs.length) throw new Error("ChainView.areOneTimeKeysUsed returned a wrong number of results");
  const j = used.indexOf(true);
  if (j >= 0) throw new ConsensusError("TX_ONE_TIME_KEY_EXISTS", `outputs[${j}].oneTimeKey already exists on chain`, { index: j });
}

// ------------------------------------------------------------------ step 4: ring members

/** The resolved ring of one input: keys and commitments of its members, in ring order. */
export interface ResolvedRing {
  ringKeys: Uint8Array[];
  ringCommitments: Uint8Array[];
}

/**
 * Step 4: every ring member exists and is spendable at `inclusionHeight`
 * (`record.unlockHeight ≤ inclusionHeight`).
 * @param inclusionHeight the height of the block the tx goes into (mempool: `view.height + 1`)
 * @returns one resolved ring per input
 * @throws ConsensusError `TX_RING_MEMBER_UNKNOWN` (IGNORE: we may be behind), `TX_RING_MEMBER_LOCKED` (IGNORE)
 */
export async function resolveRings(tx: Tx, view: ChainView, inclusionHeight: bigint): Promise<ResolvedRing[]> {
  const all = tx.inputs.flatMap((i) => i.ring);
  const records = await view.getOutputs(all);
  if (records.length !== all.length) throw new Error("ChainView.getOutputs returned a wrong number of records");
  const out: ResolvedRing[] = [];
  let k = 0;
  tx.inputs.forEach((inp, i) => {
    const ringKeys: Uint8Array[] = [];
    const ringCommitments: Uint8Array[] = [];
    inp.ring.forEach((gi, j) => {
      const r: OutputRecord | undefined = records[k++];
      if (r === undefined || r.globalIndex !== gi) throw new ConsensusError("TX_RING_MEMBER_UNKNOWN", `inputs[${i}].ring[${j}]: output ${gi} does not exist`, { index: i });
      if (r.unlockHeight > inclusionHeight) {
        throw new ConsensusError("TX_RING_MEMBER_LOCKED", `inputs[${i}].ring[${j}]: output ${gi} unlocks at height ${r.unlockHeight} > ${inclusionHeight}`, { index: i });
      }
      ringKeys.push(r.oneTimeKey);
      ringCommitments.push(r.commitment);
    });
    out.push({ ringKeys, ringCommitments });
  });
  return out;
}

// ------------------------------------------------------------------ step 5: points and balance

/**
 * Step 5: every point field of the tx is a canonical, non-identity ristretto255 encoding
 * (key images, pseudo-outputs, one-time keys, commitments, tx public keys), then the balance
 * `Σ pseudoOut == Σ commitment + (fee + stake amount)·H` (stake amount 0 unless a bond, version 2).
 * @throws ConsensusError `TX_INVALID_POINT` / `TX_IDENTITY_POINT` (reason names the field), `TX_UNBALANCED`
 */
export function checkPointsAndBalance(tx: Tx): void {
  const pt = (p: Uint8Array, field: string, index?: number): void => {
    try {
      checkPoint(p);
    } catch (e) {
      throw wrapCryptoError(e, field, "TX_INVALID_POINT", index);
    }
  };
  tx.inputs.forEach((inp, i) => {
    pt(inp.keyImage, `inputs[${i}].keyImage`, i);
    pt(inp.pseudoOut, `inputs[${i}].pseudoOut`, i);
  });
  tx.outputs.forEach((o, j) => {
    pt(o.oneTimeKey, `outputs[${j}].oneTimeKey`, j);
    pt(o.commitment, `outputs[${j}].commitment`, j);
  });
  tx.txPublicKeys.forEach((r, j) => pt(r, `txPublicKeys[${j}]`, j));
  let ok: boolean;
  try {
    ok = balanceCheck(
      tx.inputs.map((i) => i.pseudoOut),
      tx.outputs.map((o) => o.commitment),
      tx.fee + (tx.stake?.amount ?? 0n),
    );
  } catch (e) {
    throw wrapCryptoError(e, "balance", "TX_UNBALANCED");
  }
  if (!ok) throw new ConsensusError("TX_UNBALANCED", tx.stake === undefined ? "sum of pseudo-outputs != sum of output commitments + fee·H" : "sum of pseudo-outputs != sum of output commitments + (fee + stake.amount)·H");
}

/**
 * Step 5b (bond txs only): the validator's consent, an Ed25519 signature (RFC 8032, strict) by
 * `stake.validator` over {@link bondConsentMessage} (docs/protocol.md §3.2). A no-op for a tx
 * without a stake field.
 * @throws ConsensusError `TX_STAKE_SIGNATURE_INVALID`
 */
export function checkStakeSignature(tx: Tx): void {
  if (tx.stake === undefined) return;
  try {
    ed25519Verify(tx.stake.validator, bondConsentMessage(tx), tx.stake.validatorSignature);
  } catch (e) {
    if (isCryptoError(e)) throw new ConsensusError("TX_STAKE_SIGNATURE_INVALID", `stake.validatorSignature: ${e.code}: ${e.reason}`);
    throw e;
  }
}

// ------------------------------------------------------------------ step 6: MLSAG (transferable)

/** One MLSAG verification, as plain transferable data (step 6). */
export interface MlsagJob {
  /** Position of the tx in its block (for error attribution), or 0 for a lone tx. */
  txIndex: number;
  /** Input index within the tx. */
  inputIndex: number;
  /** The tx signing hash (32 bytes). */
  message: Uint8Array;
  /** Ring one-time keys (32 bytes each), ring order. */
  ringKeys: Uint8Array[];
  /** Ring commitments (32 bytes each), ring order. */
  ringCommitments: Uint8Array[];
  /** Pseudo-output of the input (32 bytes). */
  pseudoOut: Uint8Array;
  /** Key image of the input (32 bytes). */
  keyImage: Uint8Array;
  /** The signature, `32 + 64·n` bytes. */
  signature: Uint8Array;
}

/** Builds the step-6 jobs of a tx from its signing hash and resolved rings. */
export function mlsagJobs(tx: Tx, message: Uint8Array, rings: readonly ResolvedRing[], txIndex = 0): MlsagJob[] {
  return tx.inputs.map((inp, i) => {
    const ring = rings[i] as ResolvedRing;
    return {
      txIndex,
      inputIndex: i,
      message,
      ringKeys: ring.ringKeys,
      ringCommitments: ring.ringCommitments,
      pseudoOut: inp.pseudoOut,
      keyImage: inp.keyImage,
      signature: tx.signatures[i] as Uint8Array,
    };
  });
}

/**
 * Step 6, pure and transferable: verifies one MLSAG.
 * @throws ConsensusError `TX_SIGNATURE_INVALID` (index = input), or `TX_INVALID_POINT`/`TX_IDENTITY_POINT`/`TX_NON_CANONICAL_SCALAR`/`TX_RING_DUPLICATE_MEMBER` from the core
 */
export function verifyMlsagJob(job: MlsagJob): void {
  try {
    mlsagVerify({ message: job.message, ringKeys: job.ringKeys, ringCommitments: job.ringCommitments, pseudoOut: job.pseudoOut }, job.keyImage, job.signature);
  } catch (e) {
    throw wrapCryptoError(e, `signatures[${job.inputIndex}]`, "TX_SIGNATURE_INVALID", job.inputIndex);
  }
}

// ------------------------------------------------------------------ step 7: range proofs (transferable, batched)

/** One aggregated range proof with its commitments, as plain transferable data (step 7). */
export interface RangeProofJob {
  /** Position of the tx in its block (for error attribution), or 0 for a lone tx. */
  txIndex: number;
  /** The tx's output commitments (32 bytes each). */
  commitments: Uint8Array[];
  /** The Bulletproofs+ proof bytes. */
  proof: Uint8Array;
}

/** The step-7 job of a tx. */
export function rangeProofJob(tx: Tx, txIndex = 0): RangeProofJob {
  return { txIndex, commitments: tx.outputs.map((o) => o.commitment), proof: tx.rangeProof };
}

/**
 * Step 7, pure and transferable: batch-verifies range proofs with one multiscalar
 * multiplication; when the batch fails, finds the first failing proof so the error names it.
 * @throws ConsensusError `TX_RANGE_PROOF_INVALID` with `index` = the failing job's `txIndex`
 */
export function verifyRangeProofJobs(jobs: readonly RangeProofJob[]): void {
  if (jobs.length === 0) return;
  try {
    if (jobs.length === 1) {
      const j = jobs[0] as RangeProofJob;
      rangeVerify(j.commitments, j.proof);
    } else {
      rangeBatchVerify(jobs.map((j) => ({ commitments: j.commitments, proof: j.proof })));
    }
    return;
  } catch (e) {
    if (!isCryptoError(e)) throw e;
  }
  for (const j of jobs) {
    try {
      rangeVerify(j.commitments, j.proof);
    } catch (e) {
      const err = wrapCryptoError(e, "rangeProof", "TX_RANGE_PROOF_INVALID", j.txIndex);
      // a bad commitment reported by the proof system is still a range-proof failure of this tx
      throw new ConsensusError("TX_RANGE_PROOF_INVALID", err.reason, { index: j.txIndex });
    }
  }
  throw new ConsensusError("TX_RANGE_PROOF_INVALID", "batch verification failed but no single proof fails");
}

// ------------------------------------------------------------------ verifier (pool) interface

/**
 * Runs the expensive steps. The node implements it with a worker-thread pool (one worker per
 * core, each importing `@baios/crypto` and calling {@link verifyMlsagJob} /
 * {@link verifyRangeProofJobs}); {@link localVerifier} runs them on the calling thread.
 * Implementations reject with a {@link ConsensusError} (rebuild it with `ConsensusError.fromJSON`).
 */
export interface Verifier {
  /** Verifies every job; rejects with the first failure. */
  verifyMlsag(jobs: readonly MlsagJob[]): Promise<void>;
  /** Verifies every job as one batch (a block's worth); rejects with the failing tx's index. */
  verifyRangeProofs(jobs: readonly RangeProofJob[]): Promise<void>;
  /**
   * Optional combined entry point: steps 6–7 of one tx in one call (the pool posts it as one
   * message and may micro-batch it with other txs). Same verdict and error as `verifyMlsag(job.mlsag)`
   * then `verifyRangeProofs([job.range])`. `validateTx` uses it when present.
   */
  verifyTx?(job: TxVerifyJob): Promise<void>;
}

/** A {@link Verifier} on the calling thread (no `verifyTx`: on one thread, a caller such as the node's range-proof batcher batches range proofs across txs instead). */
export const localVerifier: Verifier = {
  async verifyMlsag(jobs) {
    for (const j of jobs) verifyMlsagJob(j);
  },
  async verifyRangeProofs(jobs) {
    verifyRangeProofJobs(jobs);
  },
};

/**
 * Steps 6 and 7 of one transaction as one transferable job: its MLSAG jobs (one per input) and,
 * unless a block batches it later, its range-proof job. A worker pool posts it as one message.
 */
export interface TxVerifyJob {
  mlsag: MlsagJob[];
  range?: RangeProofJob;
}

/**
 * Steps 6–7 of one tx on the calling thread: every MLSAG in input order, then the range proof.
 * @throws ConsensusError the first failure, exactly as `verifyMlsag` then `verifyRangeProofs` would
 */
export function verifyTxJob(job: TxVerifyJob): void {
  for (const j of job.mlsag) verifyMlsagJob(j);
  if (job.range !== undefined) verifyRangeProofJobs([job.range]);
}

/**
 * A micro-batch of {@link TxVerifyJob}s with one verdict per job, identical to
 * {@link verifyTxJob} on each: MLSAGs job by job, then the range proofs of the jobs whose MLSAGs
 * passed batch-verified with one multiscalar multiplication; only if that batch fails is each
 * proof re-verified alone (so a bad proof costs its sender, not the others' verdicts).
 * @returns per job: `undefined` (valid) or the error `verifyTxJob` would throw (a ConsensusError, or another error for a non-rule failure)
 */
export function verifyTxJobs(jobs: readonly TxVerifyJob[]): unknown[] {
  const out: unknown[] = jobs.map(() => undefined);
  const ranged: number[] = [];
  jobs.forEach((job, i) => {
    try {
      for (const j of job.mlsag) verifyMlsagJob(j);
      if (job.range !== undefined) ranged.push(i);
    } catch (e) {
      out[i] = e;
    }
  });
  if (ranged.length === 0) return out;
  if (ranged.length > 1) {
    try {
      rangeBatchVerify(ranged.map((i) => jobs[i]!.range!));
      return out;
    } catch (e) {
      if (!isCryptoError(e)) throw e;
    }
  }
  for (const i of ranged) {
    try {
      verifyRangeProofJobs([jobs[i]!.range!]);
    } catch (e) {
      out[i] = e;
    }
  }
  return out;
}

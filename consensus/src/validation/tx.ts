/**
 * The transaction validation pipeline, ordered by cost (docs/protocol.md §3.5):
 * 1 size and decode (+ structure) → 2 Tx-PoW → 3 key images unseen → 3b one-time keys new →
 * 4 ring members exist and are spendable → 5 points and balance → 5b a bond's validator consent →
 * 6 MLSAG per input → 7 range proof.
 * Nothing is stored: the caller stores the tx only when this resolves.
 * @module
 */
import type { ChainParams } from "../params.ts";
import type { ChainView, Tx } from "../types.ts";
import { encodeTx, txWireSize } from "../encoding/wire.ts";
import { txId, txSigningHash } from "../hashes.ts";
import { checkTxStructure, decodeAndCheckTx } from "./structure.ts";
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
import { ConsensusError } from "../errors.ts";

/** A transaction that passed the pipeline, with what the node needs to store or relay it. */
export interface ValidatedTx {
  tx: Tx;
  /** Transaction id (32 bytes). */
  txid: Uint8Array;
  /** Wire bytes (docs/protocol.md §10.1: the canonical body bytes ‖ u64le powNonce), also the storage form. */
  bytes: Uint8Array;
  /** The MLSAG message (32 bytes). */
  signingHash: Uint8Array;
  /** The step-7 job (kept so a block can batch it). */
  rangeJob: RangeProofJob;
}

/** Options of {@link validateTx}. */
export interface ValidateTxOptions {
  /** Runs steps 6–7 (default: {@link localVerifier}). */
  verifier?: Verifier;
  /** Height of the block the tx is checked for (default: `view.height + 1`). */
  inclusionHeight?: bigint;
  /** Skip step 7 (a block batches range proofs itself). Default false. */
  deferRangeProof?: boolean;
  /** Position of the tx in its block, for error attribution in jobs. Default 0. */
  txIndex?: number;
  /** Extra key-image check after step 3 (the node's mempool: throw `TX_KEY_IMAGE_IN_POOL`). */
  keyImageFilter?: (keyImage: Uint8Array, inputIndex: number) => void | Promise<void>;
  /** Extra one-time-key check after step 3b (the node's mempool: throw `TX_ONE_TIME_KEY_IN_POOL`). */
  oneTimeKeyFilter?: (oneTimeKey: Uint8Array, outputIndex: number) => void | Promise<void>;
}

/**
 * Validates a transaction from wire bytes or a decoded {@link Tx} (then re-encoded and size-checked).
 * @throws ConsensusError with the code of the first failing step (see docs/protocol.md §11)
 */
export async function validateTx(input: Uint8Array | Tx, view: ChainView, params: ChainParams, opts: ValidateTxOptions = {}): Promise<ValidatedTx> {
  // 1. size and decode (+ structure)
  let tx: Tx;
  let bytes: Uint8Array;
  if (input instanceof Uint8Array) {
    tx = decodeAndCheckTx(input, params);
    bytes = input;
  } else {
    tx = input;
    const size = txWireSize(tx);
    if (size > params.maxTxBytes) throw new ConsensusError("TX_OVERSIZED", `${size} bytes > ${params.maxTxBytes}`);
    try {
      bytes = encodeTx(tx);
    } catch (e) {
      // a field of the in-memory tx does not fit its wire width (e.g. a 31-byte key image)
      if (e instanceof RangeError) throw new ConsensusError("TX_MALFORMED", `not encodable: ${e.message}`);
      throw e;
    }
    checkTxStructure(tx, params);
  }
  const txIndex = opts.txIndex ?? 0;
  // 2. Tx-PoW
  const txid = txId(tx);
  checkTxPow(txid, tx.powNonce, params.txPowTarget);
  // 3. key images unseen
  await checkKeyImagesUnspent(tx, view);
  if (opts.keyImageFilter) for (let i = 0; i < tx.inputs.length; i++) await opts.keyImageFilter((tx.inputs[i] as Tx["inputs"][number]).keyImage, i);
  // 3b. one-time keys not on chain (burning bug)
  await checkOneTimeKeysUnused(tx, view);
  if (opts.oneTimeKeyFilter) for (let j = 0; j < tx.outputs.length; j++) await opts.oneTimeKeyFilter((tx.outputs[j] as Tx["outputs"][number]).oneTimeKey, j);
  // 4. ring members exist and are spendable
  const rings = await resolveRings(tx, view, opts.inclusionHeight ?? view.height + 1n);
  // 5. points and balance
  checkPointsAndBalance(tx);
  // 5b. a bond's validator consent (one Ed25519 verification)
  checkStakeSignature(tx);
  // 6. MLSAG per input
  const signingHash = txSigningHash(tx);
  const verifier = opts.verifier ?? localVerifier;
  const jobs: MlsagJob[] = mlsagJobs(tx, signingHash, rings, txIndex);
  const rangeJob = rangeProofJob(tx, txIndex);
  if (verifier.verifyTx !== undefined && !opts.deferRangeProof) {
    // 6–7 in one call (one pool message)
    await verifier.verifyTx({ mlsag: jobs, range: rangeJob });
  } else {
    await verifier.verifyMlsag(jobs);
    // 7. range proof
    if (!opts.deferRangeProof) await verifier.verifyRangeProofs([rangeJob]);
  }
  return { tx, txid, bytes, signingHash, rangeJob };
}

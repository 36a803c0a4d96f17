/**
 * Pipeline step 1 (cheapest): size, strict decoding and the stateless structural rules of a
 * transaction (docs/protocol.md §3.5). Pure TypeScript, no curve arithmetic.
 * @module
 */
import { TX_VERSION, TX_VERSION_BOND, U64_MAX } from "../constants.ts";
import { ConsensusError } from "../errors.ts";
import type { ChainParams } from "../params.ts";
import type { Tx } from "../types.ts";
import { decodeTx } from "../encoding/wire.ts";
import { isCanonicalScalar, toHex } from "../encoding/bytes.ts";

/** Byte length of an MLSAG signature over a ring of `n` members: `32 + 64·n` (docs/crypto.md §5). */
export const mlsagSignatureLength = (n: number): number => 32 + 64 * n;

/**
 * Stateless structural rules, in this order (each with its code):
 * version 1 or 2 (`TX_UNSUPPORTED_VERSION`), the stake field present exactly on version 2 with
 * `amount > 0` and `fee + amount ≤ 2^64 − 1` (`TX_BAD_STAKE`), chain id (`TX_WRONG_CHAIN`), input count
 * (`TX_INPUT_COUNT`), output count (`TX_OUTPUT_COUNT`), tx public key count 1 or nOut
 * (`TX_PUBLIC_KEY_COUNT`), fee ≥ minFee (`TX_FEE_TOO_LOW`), per ring: size
 * (`TX_RING_TOO_SMALL`/`TX_RING_TOO_LARGE`), strictly ascending (`TX_RING_DUPLICATE_MEMBER` for
 * equal neighbours, `TX_RING_NOT_SORTED`), key images distinct (`TX_KEY_IMAGE_DUPLICATE`),
 * one-time keys distinct (`TX_DUPLICATE_OUTPUT_KEY`), range proof present
 * (`TX_RANGE_PROOF_MISSING`), one signature per input (`TX_SIGNATURE_COUNT`) of `32 + 64·n`
 * bytes (`TX_SIGNATURE_LENGTH`) whose scalars are canonical (`TX_NON_CANONICAL_SCALAR`).
 * @throws ConsensusError
 */
export function checkTxStructure(tx: Tx, params: ChainParams): void {
  if (tx.version !== TX_VERSION && tx.version !== TX_VERSION_BOND) throw new ConsensusError("TX_UNSUPPORTED_VERSION", `version ${tx.version}, expected ${TX_VERSION} or ${TX_VERSION_BOND} (bond)`);
  if (tx.version === TX_VERSION_BOND) {
    if (tx.stake === undefined) throw new ConsensusError("TX_BAD_STAKE", "a version-2 (bond) tx needs a stake field");
    if (tx.stake.amount <= 0n) throw new ConsensusError("TX_BAD_STAKE", "stake.amount must be > 0");
    if (tx.fee + tx.stake.amount > U64_MAX) throw new ConsensusError("TX_BAD_STAKE", `fee ${tx.fee} + stake.amount ${tx.stake.amount} exceeds 2^64 − 1`);
  } else if (tx.stake !== undefined) throw new ConsensusError("TX_BAD_STAKE", `a version-${tx.version} tx has no stake field`);
  if (tx.chainId !== params.chainId) throw new ConsensusError("TX_WRONG_CHAIN", `chainId ${tx.chainId}, expected ${params.chainId}`);
  const nIn = tx.inputs.length;
  const nOut = tx.outputs.length;
  if (nIn < 1 || nIn > params.maxInputs) throw new ConsensusError("TX_INPUT_COUNT", `${nIn} inputs, allowed 1..=${params.maxInputs}`);
  if (nOut < 1 || nOut > params.maxOutputs) throw new ConsensusError("TX_OUTPUT_COUNT", `${nOut} outputs, allowed 1..=${params.maxOutputs}`);
  if (tx.txPublicKeys.length !== 1 && tx.txPublicKeys.length !== nOut) {
    throw new ConsensusError("TX_PUBLIC_KEY_COUNT", `${tx.txPublicKeys.length} tx public keys for ${nOut} outputs (allowed: 1 or ${nOut})`);
  }
  if (tx.fee < params.minFee) throw new ConsensusError("TX_FEE_TOO_LOW", `fee ${tx.fee} < minimum ${params.minFee} atomic units`);

  const seenKi = new Set<string>();
  tx.inputs.forEach((inp, i) => {
    const n = inp.ring.length;
    if (n < params.minRingSize) throw new ConsensusError("TX_RING_TOO_SMALL", `inputs[${i}].ring has ${n} members < ${params.minRingSize}`, { index: i });
    if (n > params.maxRingSize) throw new ConsensusError("TX_RING_TOO_LARGE", `inputs[${i}].ring has ${n} members > ${params.maxRingSize}`, { index: i });
    for (let j = 1; j < n; j++) {
      const a = inp.ring[j - 1] as bigint;
      const b = inp.ring[j] as bigint;
      if (a === b) throw new ConsensusError("TX_RING_DUPLICATE_MEMBER", `inputs[${i}].ring[${j}] repeats global index ${b}`, { index: i });
      if (a > b) throw new ConsensusError("TX_RING_NOT_SORTED", `inputs[${i}].ring not strictly ascending at ${j}`, { index: i });
    }
    const k = toHex(inp.keyImage);
    if (seenKi.has(k)) throw new ConsensusError("TX_KEY_IMAGE_DUPLICATE", `inputs[${i}].keyImage repeats an earlier input's`, { index: i });
    seenKi.add(k);
  });

  const seenOut = new Set<string>();
  tx.outputs.forEach((o, j) => {
    const k = toHex(o.oneTimeKey);
    if (seenOut.has(k)) throw new ConsensusError("TX_DUPLICATE_OUTPUT_KEY", `outputs[${j}].oneTimeKey repeats an earlier output's`, { index: j });
    seenOut.add(k);
  });

  if (tx.rangeProof.length === 0) throw new ConsensusError("TX_RANGE_PROOF_MISSING", "rangeProof is empty");
  if (tx.signatures.length !== nIn) throw new ConsensusError("TX_SIGNATURE_COUNT", `${tx.signatures.length} signatures for ${nIn} inputs`);
  tx.signatures.forEach((sig, i) => {
    const n = (tx.inputs[i] as Tx["inputs"][number]).ring.length;
    const want = mlsagSignatureLength(n);
    if (sig.length !== want) throw new ConsensusError("TX_SIGNATURE_LENGTH", `signatures[${i}] is ${sig.length} bytes, expected ${want}`, { index: i });
    for (let off = 0; off < sig.length; off += 32) {
      if (!isCanonicalScalar(sig.subarray(off, off + 32))) {
        throw new ConsensusError("TX_NON_CANONICAL_SCALAR", `signatures[${i}] scalar at byte ${off} is not canonical (>= l)`, { index: i });
      }
    }
  });
}

/**
 * Step 1 on wire bytes: size check before decoding, strict decoding, structural rules.
 * @returns the decoded transaction
 * @throws ConsensusError `TX_OVERSIZED`, `TX_MALFORMED`, or any code of {@link checkTxStructure}
 */
export function decodeAndCheckTx(bytes: Uint8Array, params: ChainParams): Tx {
  const tx = decodeTx(bytes, params.maxTxBytes);
  checkTxStructure(tx, params);
  return tx;
}

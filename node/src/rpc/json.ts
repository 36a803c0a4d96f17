/**
 * The JSON views of consensus objects for the RPC (types in `@baios/api` json.ts; conventions in ./convert.ts): bytes → hex,
 * u64 amounts/fees → decimal strings, heights/indices/times → numbers.
 * @module
 */
import type { Block, BlockHeader, Coinbase, FinalityCertificate, Tx } from "@baios/consensus";
import type { CertificateJson, CoinbaseJson, HeaderJson, ScanTxJson, TxJson } from "@baios/api";
import { hex, num } from "./convert.ts";

export type { CertificateJson, CoinbaseJson, CoinbaseOutputJson, HeaderJson, ScanTxJson, TxJson, TxOutputJson } from "@baios/api";

/**
 * The {@link HeaderJson} of `h`; `hash` must be `blockHash(h)` (32 bytes) and is not recomputed.
 * @throws RangeError when `height`, `timeMs` or `outputCount` exceeds 2^53 − 1 (`num`)
 */
export function headerJson(h: BlockHeader, hash: Uint8Array): HeaderJson {
  return {
    hash: hex(hash),
    version: h.version,
    chainId: h.chainId,
    height: num(h.height),
    parentHash: hex(h.parentHash),
    timeMs: num(h.timeMs),
    txRoot: hex(h.txRoot),
    outputRoot: hex(h.outputRoot),
    outputCount: num(h.outputCount),
    txPowTarget: hex(h.txPowTarget),
    blockTarget: hex(h.blockTarget),
    validatorsHash: hex(h.validatorsHash),
    nextValidatorsHash: hex(h.nextValidatorsHash),
    lastCertificateHash: hex(h.lastCertificateHash),
    evidenceRoot: hex(h.evidenceRoot),
    stakingRoot: hex(h.stakingRoot),
    headerRoot: hex(h.headerRoot),
    superParentsRoot: hex(h.superParentsRoot),
    keyImageRoot: hex(h.keyImageRoot),
    stakingStateHash: hex(h.stakingStateHash),
    powNonce: h.powNonce.toString(),
  };
}

/**
 * The {@link CoinbaseJson} of `cb`: output `i` gets global index `firstIndex + i` and commitment
 * `commitments[i]` (the stored `G + amount·H`, 32 bytes; 32 zero bytes when missing).
 * @throws RangeError when the height or an unlock height exceeds 2^53 − 1 (`num`)
 */
export function coinbaseJson(cb: Coinbase, firstIndex: number, commitments: readonly Uint8Array[]): CoinbaseJson {
  return {
    height: num(cb.height),
    txPublicKey: hex(cb.txPublicKey),
    outputs: cb.outputs.map((o, i) => ({
      globalIndex: firstIndex + i,
      oneTimeKey: hex(o.oneTimeKey),
      viewTag: o.viewTag,
      amount: o.amount.toString(),
      unlockHeight: num(o.unlockHeight),
      commitment: hex(commitments[i] ?? new Uint8Array(32)),
    })),
  };
}

/** Full JSON of a tx; `firstIndex` = global index of its first output when it is on chain. */
export function txJson(tx: Tx, txid: Uint8Array, firstIndex?: number): TxJson {
  return {
    txid: hex(txid),
    version: tx.version,
    chainId: tx.chainId,
    fee: tx.fee.toString(),
    inputs: tx.inputs.map((i) => ({ ring: i.ring.map(num), keyImage: hex(i.keyImage), pseudoOut: hex(i.pseudoOut) })),
    outputs: tx.outputs.map((o, k) => ({
      ...(firstIndex === undefined ? {} : { globalIndex: firstIndex + k }),
      oneTimeKey: hex(o.oneTimeKey),
      commitment: hex(o.commitment),
      viewTag: o.viewTag,
      encryptedAmount: hex(o.encryptedAmount),
    })),
    txPublicKeys: tx.txPublicKeys.map(hex),
    rangeProof: hex(tx.rangeProof),
    signatures: tx.signatures.map(hex),
    powNonce: tx.powNonce.toString(),
  };
}

/** The {@link ScanTxJson} of `tx`: output `k` gets global index `firstIndex + k`; `txid` (32 bytes, `txId(tx)`) is not recomputed. */
export function scanTxJson(tx: Tx, txid: Uint8Array, firstIndex: number): ScanTxJson {
  return {
    txid: hex(txid),
    fee: tx.fee.toString(),
    txPublicKeys: tx.txPublicKeys.map(hex),
    keyImages: tx.inputs.map((i) => hex(i.keyImage)),
    outputs: tx.outputs.map((o, k) => ({
      globalIndex: firstIndex + k,
      oneTimeKey: hex(o.oneTimeKey),
      commitment: hex(o.commitment),
      viewTag: o.viewTag,
      encryptedAmount: hex(o.encryptedAmount),
    })),
    powNonce: tx.powNonce.toString(),
  };
}

/** The {@link CertificateJson} of `c`. @throws RangeError when the height exceeds 2^53 − 1 (`num`) */
export function certificateJson(c: FinalityCertificate): CertificateJson {
  return { height: num(c.height), round: c.round, blockHash: hex(c.blockHash), votes: c.votes.map((v) => ({ validator: hex(v.validator), signature: hex(v.signature) })) };
}

export type { Block };

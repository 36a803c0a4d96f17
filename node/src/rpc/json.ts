/**
 * JSON views of consensus objects for the RPC (conventions in ./convert.ts): bytes → hex,
 * u64 amounts/fees → decimal strings, heights/indices/times → numbers.
 * @module
 */
import type { Block, BlockHeader, Coinbase, FinalityCertificate, Tx } from "@baios/consensus";
import { hex, num } from "./convert.ts";

export interface HeaderJson {
  hash: string;
  version: number;
  chainId: number;
  height: number;
  parentHash: string;
  timeMs: number;
  txRoot: string;
  outputRoot: string;
  outputCount: number;
  txPowTarget: string;
  validatorsHash: string;
  proposer: string;
}
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
    validatorsHash: hex(h.validatorsHash),
    proposer: hex(h.proposer),
  };
}

export interface CoinbaseOutputJson {
  globalIndex: number;
  oneTimeKey: string;
  viewTag: number;
  amount: string;
  unlockHeight: number;
  commitment: string;
}
export interface CoinbaseJson {
  height: number;
  txPublicKey: string;
  outputs: CoinbaseOutputJson[];
}
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

export interface TxOutputJson {
  globalIndex?: number;
  oneTimeKey: string;
  commitment: string;
  viewTag: number;
  encryptedAmount: string;
}
export interface TxJson {
  txid: string;
  version: number;
  chainId: number;
  fee: string;
  inputs: { ring: number[]; keyImage: string; pseudoOut: string }[];
  outputs: TxOutputJson[];
  txPublicKeys: string[];
  rangeProof: string;
  signatures: string[];
  powNonce: string;
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

/** The scan view of a tx (get_blocks_range): what a wallet needs to find and track its outputs. */
export interface ScanTxJson {
  txid: string;
  fee: string;
  txPublicKeys: string[];
  keyImages: string[];
  outputs: Required<TxOutputJson>[];
}
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
  };
}

export interface CertificateJson {
  height: number;
  round: number;
  blockHash: string;
  votes: { validator: string; signature: string }[];
}
export function certificateJson(c: FinalityCertificate): CertificateJson {
  return { height: num(c.height), round: c.round, blockHash: hex(c.blockHash), votes: c.votes.map((v) => ({ validator: hex(v.validator), signature: hex(v.signature) })) };
}

export type { Block };

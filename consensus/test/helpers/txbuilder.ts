/**
 * Test fixture: builds real signed RingCT transactions with the crypto package (ring of 11 from
 * the TestChain's outputs, easy Tx-PoW). The wallet package has the production builder.
 */
import {
  commit,
  ed25519PublicKey,
  ed25519Sign,
  keyImage,
  makeOutput,
  mlsagSign,
  randomScalar,
  rangeProve,
  scalarAdd,
  scalarMultBase,
  scalarSub,
  txPowMine,
  txPowVerify,
} from "@baios/crypto";
import type { Tx, TxOutput } from "../../src/types.ts";
import type { Address } from "../../src/coinbase.ts";
import { bondConsentMessage, txId, txSigningHash } from "../../src/hashes.ts";
import type { Owned, TestChain } from "./chain.ts";

export interface BuildOptions {
  inputs: Owned[];
  outputs: { to: Address; amount: bigint }[];
  fee?: bigint;
  ringSize?: number;
  /** Explicit decoys per input (global indices); default: the lowest unlocked indices. */
  decoys?: bigint[][];
  /** Amounts the range proof is made for (default: the output amounts). */
  proofAmounts?: bigint[];
  /** Replaces output commitments after the range proof was made. */
  commitmentOverride?: (j: number, c: Uint8Array, mask: Uint8Array) => Uint8Array;
  /** Mutates the range proof before signing. */
  mutateProof?: (proof: Uint8Array) => Uint8Array;
  /** The tx the MLSAG message is computed over (default: the tx itself). */
  signOver?: (tx: Tx) => Tx;
  /** The tx secret r (default: random). Reusing one for the same recipient and output index repeats the one-time key. */
  txSecret?: Uint8Array;
  /** Makes a version-2 bond: `amount` bonded to the validator of `validatorSeed`, who signs the consent (over `consentOver`'s message if given). */
  stake?: { validatorSeed: Uint8Array; amount: bigint; consentOver?: (tx: Tx) => Tx };
}

/** Mines the PoW nonce (easy target). */
export function mine(tx: Tx, target: Uint8Array): Tx {
  const id = txId(tx);
  const nonce = txPowMine(id, target, 0n, 1_000_000);
  if (nonce === undefined) throw new Error("PoW not found");
  return { ...tx, powNonce: nonce };
}

/** A nonce that fails the target. */
export function badNonce(tx: Tx, target: Uint8Array): Tx {
  const id = txId(tx);
  for (let n = 0n; ; n++) {
    try {
      txPowVerify(id, n, target);
    } catch {
      return { ...tx, powNonce: n };
    }
  }
}

export interface Built {
  tx: Tx;
  outputMasks: Uint8Array[];
  txSecret: Uint8Array;
}

export function buildTx(chain: TestChain, o: BuildOptions): Built {
  const ringSize = o.ringSize ?? 11;
  const fee = o.fee ?? chain.params.minFee;
  // rings
  const rings = o.inputs.map((inp, k) => {
    let decoys = o.decoys?.[k];
    if (decoys === undefined) {
      decoys = [];
      for (const r of chain.outputs) {
        if (decoys.length === ringSize - 1) break;
        if (r.globalIndex !== inp.globalIndex && r.unlockHeight <= chain.height + 1n && !o.inputs.some((x) => x.globalIndex === r.globalIndex)) decoys.push(r.globalIndex);
      }
    }
    const ring = [...decoys, inp.globalIndex].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { ring, secretIndex: ring.indexOf(inp.globalIndex) };
  });
  // outputs
  const txSecret = o.txSecret ?? randomScalar();
  const made = o.outputs.map((out, j) => makeOutput(txSecret, out.to.viewPublic, out.to.spendPublic, j, out.amount));
  const outputMasks = made.map((m) => m.mask);
  const outputs: TxOutput[] = made.map((m, j) => ({
    oneTimeKey: m.oneTimeKey,
    commitment: o.commitmentOverride ? o.commitmentOverride(j, m.commitment, m.mask) : m.commitment,
    viewTag: m.viewTag,
    encryptedAmount: m.encryptedAmount,
  }));
  // pseudo-outputs: masks sum to the output masks' sum
  const pseudoMasks: Uint8Array[] = [];
  let acc: Uint8Array = new Uint8Array(32);
  o.inputs.forEach((_, k) => {
    if (k < o.inputs.length - 1) {
      const m = randomScalar();
      pseudoMasks.push(m);
      acc = scalarAdd(acc, m);
    } else {
      let sumOut: Uint8Array = new Uint8Array(32);
      for (const m of outputMasks) sumOut = scalarAdd(sumOut, m);
      pseudoMasks.push(scalarSub(sumOut, acc));
    }
  });
  const pseudoOuts = o.inputs.map((inp, k) => commit(inp.amount, pseudoMasks[k]!));
  const proof0 = rangeProve(o.proofAmounts ?? o.outputs.map((x) => x.amount), outputMasks);
  const rangeProof = o.mutateProof ? o.mutateProof(proof0) : proof0;
  const unsigned: Tx = {
    version: o.stake === undefined ? 1 : 2,
    chainId: chain.params.chainId,
    fee,
    inputs: o.inputs.map((inp, k) => ({
      ring: rings[k]!.ring,
      keyImage: keyImage(inp.x, chain.outputs[Number(inp.globalIndex)]!.oneTimeKey),
      pseudoOut: pseudoOuts[k]!,
    })),
    outputs,
    txPublicKeys: [scalarMultBase(txSecret)],
    rangeProof,
    signatures: [],
    powNonce: 0n,
  };
  if (o.stake !== undefined) {
    unsigned.stake = { validator: ed25519PublicKey(o.stake.validatorSeed), amount: o.stake.amount, validatorSignature: new Uint8Array(64) };
    const consent = bondConsentMessage(o.stake.consentOver ? o.stake.consentOver(unsigned) : unsigned);
    unsigned.stake.validatorSignature = ed25519Sign(o.stake.validatorSeed, consent);
  }
  const message = txSigningHash(o.signOver ? o.signOver(unsigned) : unsigned);
  const signatures = o.inputs.map((inp, k) => {
    const { ring, secretIndex } = rings[k]!;
    const recs = chain.getOutputs(ring);
    return mlsagSign(
      { message, ringKeys: recs.map((r) => r!.oneTimeKey), ringCommitments: recs.map((r) => r!.commitment), pseudoOut: pseudoOuts[k]! },
      secretIndex,
      inp.x,
      scalarSub(inp.mask, pseudoMasks[k]!),
    );
  });
  const tx = mine({ ...unsigned, signatures }, chain.params.txPowTarget);
  return { tx, outputMasks, txSecret };
}

/** Deep copy of a tx (mutations in scenarios never touch the original). */
export function cloneTx(tx: Tx): Tx {
  return structuredClone(tx);
}

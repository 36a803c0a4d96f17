/** The node tests' bond transaction builder (docs/consensus.md §4.4), shared by the staking and fast-sync tests. */
import { commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarMultBase, scalarSub, txPowMine } from "@baios/crypto";
import { SCALAR_ONE, bondConsentMessage, coinbaseCommitment, encodeTx, txId, txSigningHash, type Tx } from "@baios/consensus";
import type { NodeGenesis } from "../../src/genesis.ts";
import { PREMINE_OUTPUTS, WALLET } from "./fixture.ts";

/**
 * A real bond tx (version 2): spends premine output `realIndex` of the node test genesis (ring of
 * 11 premine outputs), bonds `amount` to `validatorSeed`'s key (consent signed with it), change
 * back to WALLET; Tx-PoW mined against the genesis target. Returns the wire bytes.
 */
export function bondTx(genesis: NodeGenesis, realIndex: number, amount: bigint, validatorSeed: Uint8Array): Uint8Array {
  const fee = 100_000n;
  const cb = genesis.block.coinbase;
  const ring = Array.from({ length: 11 }, (_, k) => (realIndex + k) % PREMINE_OUTPUTS).sort((a, b) => a - b);
  const real = cb.outputs[realIndex]!;
  const x = oneTimeSecret(WALLET.viewSecret, WALLET.spendSecret, cb.txPublicKey, realIndex);
  const change = real.amount - fee - amount;
  const r = randomScalar();
  const o0 = makeOutput(r, WALLET.viewPublic, WALLET.spendPublic, 0, change);
  const pseudoOut = commit(real.amount, o0.mask);
  const tx: Tx = {
    version: 2,
    chainId: genesis.params.chainId,
    fee,
    inputs: [{ ring: ring.map(BigInt), keyImage: keyImage(x, real.oneTimeKey), pseudoOut }],
    outputs: [{ oneTimeKey: o0.oneTimeKey, commitment: o0.commitment, viewTag: o0.viewTag, encryptedAmount: o0.encryptedAmount }],
    txPublicKeys: [scalarMultBase(r)],
    rangeProof: rangeProve([change], [o0.mask]),
    signatures: [],
    powNonce: 0n,
    stake: { validator: ed25519PublicKey(validatorSeed), amount, validatorSignature: new Uint8Array(64) },
  };
  tx.stake!.validatorSignature = ed25519Sign(validatorSeed, bondConsentMessage(tx));
  const ringKeys = ring.map((i) => cb.outputs[i]!.oneTimeKey);
  const ringCommitments = ring.map((i) => coinbaseCommitment(cb.outputs[i]!.amount));
  tx.signatures = [mlsagSign({ message: txSigningHash(tx), ringKeys, ringCommitments, pseudoOut }, ring.indexOf(realIndex), x, scalarSub(SCALAR_ONE, o0.mask))];
  let nonce: bigint | undefined;
  for (let s = 0n; nonce === undefined; s += 100_000n) nonce = txPowMine(txId(tx), genesis.params.txPowTarget, s, 100_000);
  tx.powNonce = nonce;
  return encodeTx(tx);
}

/**
 * Fixtures of the fast-sync tests: the genesis (node test premine, one validator, 8-block epochs),
 * a bond tx that raises the validator's own stake (a validator-set change at the next epoch
 * boundary), and a source chain with spends and that bond.
 */
import { commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarMultBase, scalarSub, txPowMine } from "@baios/crypto";
import { SCALAR_ONE, bondConsentMessage, coinbaseCommitment, devnetGenesis, encodeTx, txId, txSigningHash, type Tx } from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "../../src/genesis.ts";
import { startNode } from "../../src/node.ts";
import { EASY_TARGET, PREMINE_AMOUNT, PREMINE_OUTPUTS, VALIDATOR_SEED, WALLET, buildTx, testConfig } from "./fixture.ts";

/** Epoch length of {@link fastSyncGenesis} (blocks). */
export const FAST_SYNC_EPOCH = 8n;

export async function fastSyncGenesis(): Promise<NodeGenesis> {
  return fromGenesis(
    devnetGenesis({
      wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
      validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
      params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: 1000, epochLength: FAST_SYNC_EPOCH, unbondingDelay: 3n },
    }),
  );
}

/** A bond tx spending premine output `realIndex`, bonding `amount` to the genesis validator itself (its stake grows: a set change at the next epoch boundary). */
export function bondTx(genesis: NodeGenesis, realIndex: number, amount: bigint): Uint8Array {
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
    stake: { validator: ed25519PublicKey(VALIDATOR_SEED), amount, validatorSignature: new Uint8Array(64) },
  };
  tx.stake!.validatorSignature = ed25519Sign(VALIDATOR_SEED, bondConsentMessage(tx));
  const ringKeys = ring.map((i) => cb.outputs[i]!.oneTimeKey);
  const ringCommitments = ring.map((i) => coinbaseCommitment(cb.outputs[i]!.amount));
  tx.signatures = [mlsagSign({ message: txSigningHash(tx), ringKeys, ringCommitments, pseudoOut }, ring.indexOf(realIndex), x, scalarSub(SCALAR_ONE, o0.mask))];
  let nonce: bigint | undefined;
  for (let s = 0n; nonce === undefined; s += 100_000n) nonce = txPowMine(txId(tx), genesis.params.txPowTarget, s, 100_000);
  tx.powNonce = nonce;
  return encodeTx(tx);
}


/**
 * Produces `blocks` blocks on a validator node in `dir` (no p2p: submitted txs go straight to the
 * mempool): a bond in block 3, one premine spend every second block while outputs last (0..11).
 */
export async function produceChain(dir: string, genesis: NodeGenesis, blocks: number): Promise<void> {
  const a = await startNode(testConfig(dir), { genesis, manualBlocks: true });
  try {
    let spend = 0;
    for (let i = a.chain.tip.height + 1; i <= blocks; i++) {
      if (i === 3) await a.submitTx(bondTx(genesis, 20, 5n));
      else if (i % 2 === 0 && spend < 12) await a.submitTx(buildTx(genesis, spend++).bytes);
      await a.produceBlock();
    }
  } finally {
    await a.stop();
  }
}

/**
 * Chain-benchmark fixture: a devnet genesis with `n` premine outputs to the test wallet of
 * node/test/helpers/fixture.ts (so every benchmark tx spends its own output and has its own key
 * image), and a builder of real 1-in/2-out ring-11 RingCT transactions over it — the same
 * construction as the fixture's `buildTx`, with ring members spread over all `n` outputs.
 * @module
 */
import { commit, ed25519PublicKey, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarAdd, scalarMultBase, scalarSub, txPowMine } from "@baios/crypto";
import { SCALAR_ONE, coinbaseCommitment, devnetGenesis, encodeTx, txId, txSigningHash, type Genesis, type Tx } from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "@baios/node";
import { EASY_TARGET, PAYOUT, PREMINE_AMOUNT, VALIDATOR_SEED, WALLET } from "../../node/test/helpers/fixture.ts";

export { EASY_TARGET, PAYOUT, VALIDATOR_SEED, WALLET };

/** Ring size of every benchmark transaction (the consensus minimum). */
export const RING_SIZE = 11;

/**
 * The benchmark genesis: `n` premine outputs of PREMINE_AMOUNT to WALLET, one validator
 * (VALIDATOR_SEED), the fixture's easy Tx-PoW target (verification costs one hash whatever the
 * target; only mining is skipped), the given block time. Deterministic.
 */
export function benchGenesis(n: number, blockTimeMs: number): Genesis {
  return devnetGenesis({
    wallets: Array.from({ length: n }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
    validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
    params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs },
  });
}

/** The node-side genesis (parsed and hashed) for {@link benchGenesis}: `n` premine outputs, `blockTimeMs` ms blocks. */
export async function benchNodeGenesis(n: number, blockTimeMs: number): Promise<NodeGenesis> {
  return fromGenesis(benchGenesis(n, blockTimeMs));
}

/** Ring of `RING_SIZE` distinct premine indices containing `real`, decoys spread pseudo-randomly over `[0, n)`, ascending. */
function ringFor(real: number, n: number): number[] {
  const members = new Set<number>([real]);
  let x = (real * 2654435761 + 12345) >>> 0;
  while (members.size < RING_SIZE) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    members.add(x % n);
  }
  return [...members].sort((a, b) => a - b);
}

/**
 * A real 1-in/2-out tx spending premine output `realIndex` (mask 1, public amount): one output
 * to PAYOUT, change to WALLET, minimum fee, MLSAG over a ring of 11, Bulletproofs+ over both
 * outputs, Tx-PoW mined against the genesis target. Returns the canonical msgpack bytes.
 */
export function buildSpend(genesis: NodeGenesis, realIndex: number): { tx: Tx; bytes: Uint8Array; txid: Uint8Array } {
  const cb = genesis.block.coinbase;
  const n = cb.outputs.length;
  const fee = genesis.params.minFee;
  const ring = ringFor(realIndex, n);
  const secretIndex = ring.indexOf(realIndex);
  const realOut = cb.outputs[realIndex];
  if (realOut === undefined) throw new Error(`no premine output ${realIndex}`);
  const x = oneTimeSecret(WALLET.viewSecret, WALLET.spendSecret, cb.txPublicKey, realIndex);
  const ki = keyImage(x, realOut.oneTimeKey);
  const inAmount = realOut.amount;
  const toOther = 1_000_000n + BigInt(realIndex);
  const change = inAmount - toOther - fee;
  const r = randomScalar();
  const o0 = makeOutput(r, PAYOUT.viewPublic, PAYOUT.spendPublic, 0, toOther);
  const o1 = makeOutput(r, WALLET.viewPublic, WALLET.spendPublic, 1, change);
  const pseudoMask = scalarAdd(o0.mask, o1.mask);
  const pseudoOut = commit(inAmount, pseudoMask);
  const tx: Tx = {
    version: 1,
    chainId: genesis.params.chainId,
    fee,
    inputs: [{ ring: ring.map(BigInt), keyImage: ki, pseudoOut }],
    outputs: [o0, o1].map((o) => ({ oneTimeKey: o.oneTimeKey, commitment: o.commitment, viewTag: o.viewTag, encryptedAmount: o.encryptedAmount })),
    txPublicKeys: [scalarMultBase(r)],
    rangeProof: rangeProve([toOther, change], [o0.mask, o1.mask]),
    signatures: [],
    powNonce: 0n,
  };
  const out = (i: number) => cb.outputs[i] as (typeof cb.outputs)[number];
  const ringKeys = ring.map((i) => out(i).oneTimeKey);
  const ringCommitments = ring.map((i) => coinbaseCommitment(out(i).amount));
  const z = scalarSub(SCALAR_ONE, pseudoMask);
  tx.signatures = [mlsagSign({ message: txSigningHash(tx), ringKeys, ringCommitments, pseudoOut }, secretIndex, x, z)];
  const txid = txId(tx);
  let nonce: bigint | undefined;
  for (let start = 0n; nonce === undefined; start += 100_000n) nonce = txPowMine(txid, genesis.params.txPowTarget, start, 100_000);
  tx.powNonce = nonce;
  return { tx, bytes: encodeTx(tx), txid };
}

/**
 * Chain-benchmark fixture: a devnet genesis with `n` premine outputs to the test wallet of
 * node/test/helpers/fixture.ts (so every benchmark tx spends its own output and has its own key
 * image), and a builder of real 1-in/2-out ring-11 RingCT transactions over it — the same
 * construction as the fixture's `buildTx`, with ring members spread over all `n` outputs.
 * @module
 */
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis, type Genesis, type Tx } from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "@baios/node";
import { buildTx, EASY_TARGET, PAYOUT, PREMINE_AMOUNT, VALIDATOR_SEED, WALLET } from "../../node/test/helpers/fixture.ts";

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
 * outputs, Tx-PoW mined against the genesis target. Returns the tx's wire bytes (docs/protocol.md §10.1).
 */
export function buildSpend(genesis: NodeGenesis, realIndex: number): { tx: Tx; bytes: Uint8Array; txid: Uint8Array } {
  const ring = ringFor(realIndex, genesis.block.coinbase.outputs.length);
  const { tx, bytes, txid } = buildTx(genesis, realIndex, { ring, fee: genesis.params.minFee, salt: realIndex });
  return { tx, bytes, txid };
}

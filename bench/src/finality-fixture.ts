/**
 * Finality-benchmark fixture: a devnet genesis with `validators` validators (Ed25519 seeds
 * `[i+1; 32]`, equal stake 100) and `outputs` premine outputs to the test wallet of
 * node/test/helpers/fixture.ts, and a builder of real 1-in/2-out ring-11 RingCT transactions
 * (MLSAG + Bulletproofs+, Tx-PoW against the easy target) spending them. The genesis is
 * deterministic, so worker threads rebuild the same one from its arguments.
 * @module
 */
import { ed25519PublicKey } from "@baios/crypto";
import { devnetGenesis, type Genesis } from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "@baios/node";
import { buildTx, EASY_TARGET, PAYOUT, PREMINE_AMOUNT, WALLET } from "../../node/test/helpers/fixture.ts";

export { PAYOUT };

/** The 32-byte Ed25519 seed of validator `i` (0-based): every byte `i + 1`. */
export function validatorSeed(i: number): Uint8Array {
  return new Uint8Array(32).fill(i + 1);
}

/** Genesis arguments shared by the main thread and the build workers. */
export interface FinalityGenesisArgs {
  /** Premine outputs to the test wallet (one per benchmark tx, plus decoys). */
  outputs: number;
  /** Block interval in ms (`params.blockTimeMs`). */
  blockTimeMs: number;
  /** Validators in the genesis set (seeds {@link validatorSeed}(0 … n−1), stake 100 each). */
  validators: number;
  /** Blocks per staking epoch (`params.epochLength`); default the devnet's 10. */
  epochLength?: number;
  /** Initial block target as leading zero bits (`params.blockTarget` = 2^(256−bits) − 1, ≈ 2^bits hashes a candidate); default the devnet's 10. */
  blockTargetBits?: number;
}

/** 2^(256 − bits) − 1 as 32 bytes big-endian. */
function targetBits(bits: number): Uint8Array {
  let v = (1n << BigInt(256 - bits)) - 1n;
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** The benchmark genesis (see the module docs); coinbase maturity 2, the easy Tx-PoW target, `epochLength` when given. */
export function finalityGenesis(a: FinalityGenesisArgs): Genesis {
  return devnetGenesis({
    wallets: Array.from({ length: a.outputs }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
    validators: Array.from({ length: a.validators }, (_x, i) => ({ publicKey: ed25519PublicKey(validatorSeed(i)), stake: 100n })),
    params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: a.blockTimeMs, ...(a.epochLength === undefined ? {} : { epochLength: BigInt(a.epochLength) }), ...(a.blockTargetBits === undefined ? {} : { blockTarget: targetBits(a.blockTargetBits) }) },
  });
}

/** The node-side (parsed, hashed) {@link finalityGenesis}. */
export function finalityNodeGenesis(a: FinalityGenesisArgs): Promise<NodeGenesis> {
  return fromGenesis(finalityGenesis(a));
}

/** Ring of 11 distinct premine indices containing `real`, decoys spread pseudo-randomly over `[0, n)`, ascending. */
function ringOf(real: number, n: number): number[] {
  const members = new Set<number>([real]);
  let x = (real * 2246822519 + 7) >>> 0;
  while (members.size < 11) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    members.add(x % n);
  }
  return [...members].sort((a, b) => a - b);
}

/** A real 1-in/2-out tx spending premine output `realIndex`, minimum fee; its wire bytes (docs/protocol.md §10.1) and txid (32 bytes). */
export function buildFinalitySpend(genesis: NodeGenesis, realIndex: number): { bytes: Uint8Array; txid: Uint8Array } {
  const { bytes, txid } = buildTx(genesis, realIndex, { ring: ringOf(realIndex, genesis.block.coinbase.outputs.length), fee: genesis.params.minFee, salt: realIndex });
  return { bytes, txid };
}

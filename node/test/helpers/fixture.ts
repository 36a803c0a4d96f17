/**
 * Test fixtures: a devnet genesis funding a test wallet with many premine outputs (so rings of
 * 11 exist from height 0), an easy Tx-PoW target, and a builder of real 1-in/2-out RingCT
 * transactions spending those premine outputs.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  commit,
  ed25519PublicKey,
  keyImage,
  makeOutput,
  mlsagSign,
  oneTimeSecret,
  randomScalar,
  rangeProve,
  scalarAdd,
  scalarMultBase,
  scalarSub,
  txPowMine,
  walletKeysFromSeed,
  type WalletKeys,
} from "@baios/crypto";
import { SCALAR_ONE, coinbaseCommitment, devnetGenesis, encodeTx, mlsagJobs, txId, txSigningHash, type MlsagJob, type Tx } from "@baios/consensus";
import { defaultConfig, type NodeConfig } from "../../src/config.ts";
import { fromGenesis, type NodeGenesis } from "../../src/genesis.ts";

/** An easy Tx-PoW target (~16 hashes): tests don't wait for PoW. */
export const EASY_TARGET = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0x0f : 0xff));

export const VALIDATOR_SEED = new Uint8Array(32).fill(7);
export const WALLET: WalletKeys = walletKeysFromSeed(new Uint8Array(32).fill(1));
export const PAYOUT: WalletKeys = walletKeysFromSeed(new Uint8Array(32).fill(2));
export const PREMINE_OUTPUTS = 24;
export const PREMINE_AMOUNT = 1_000n * 100_000_000n;

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

/**
 * The test genesis: premine of PREMINE_OUTPUTS outputs to WALLET, one validator (VALIDATOR_SEED),
 * a devnet block time of `blockTimeMs` (default 1000; the producer and validation follow it).
 */
export async function testGenesis(opts: { blockTimeMs?: number } = {}): Promise<NodeGenesis> {
  return fromGenesis(
    devnetGenesis({
      wallets: Array.from({ length: PREMINE_OUTPUTS }, () => ({ address: { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic }, amount: PREMINE_AMOUNT })),
      validators: [{ publicKey: ed25519PublicKey(VALIDATOR_SEED), stake: 1n }],
      params: { txPowTarget: EASY_TARGET, coinbaseMaturity: 2n, blockTimeMs: opts.blockTimeMs ?? 1000 },
    }),
  );
}

export function tmpDir(prefix = "baios-node-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A validator test config: ephemeral port, no fsync, silent. */
export function testConfig(dataDir: string, over: Partial<NodeConfig> = {}): NodeConfig {
  return {
    ...defaultConfig(),
    dataDir,
    rpcPort: 0,
    logLevel: "silent",
    validator: true,
    validatorKey: hex(VALIDATOR_SEED),
    payout: { viewPublic: hex(PAYOUT.viewPublic), spendPublic: hex(PAYOUT.spendPublic) },
    workers: 0,
    syncWrites: false,
    ...over,
  };
}

/**
 * A real 1-in/2-out tx spending premine output `realIndex` (a genesis coinbase output of WALLET,
 * mask 1), ring of `ringSize` premine outputs, fee `fee`, PoW mined against `target`.
 * `salt` varies the outputs so two spends of the same output differ. `ring` (sorted premine
 * indices containing `realIndex`) replaces the default ring of neighbours (the benchmarks use it).
 * `txSecret` fixes the tx secret r (default random).
 */
export function buildTx(genesis: NodeGenesis, realIndex: number, opts: { fee?: bigint; ringSize?: number; salt?: number; target?: Uint8Array; ring?: readonly number[]; txSecret?: Uint8Array } = {}): { tx: Tx; bytes: Uint8Array; txid: Uint8Array; keyImage: Uint8Array } {
  const fee = opts.fee ?? 100_000n;
  const ringSize = opts.ringSize ?? 11;
  const cb = genesis.block.coinbase;
  // ring: realIndex plus the next members (wrapping), sorted
  const members = new Set<number>([realIndex]);
  for (let k = 1; members.size < ringSize; k++) members.add((realIndex + k * (1 + (opts.salt ?? 0) % 2)) % PREMINE_OUTPUTS);
  const ring = opts.ring ?? [...members].sort((a, b) => a - b);
  const secretIndex = ring.indexOf(realIndex);
  const realOut = cb.outputs[realIndex];
  if (realOut === undefined) throw new Error("no such premine output");
  const x = oneTimeSecret(WALLET.viewSecret, WALLET.spendSecret, cb.txPublicKey, realIndex);
  const ki = keyImage(x, realOut.oneTimeKey);
  const inAmount = realOut.amount;
  const toOther = 1_000_000n + BigInt(opts.salt ?? 0);
  const change = inAmount - toOther - fee;
  const r = opts.txSecret ?? randomScalar(); // a reused r repeats the one-time keys (burning-bug tests)
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
  const ringKeys = ring.map((i) => (cb.outputs[i] as (typeof cb.outputs)[number]).oneTimeKey);
  const ringCommitments = ring.map((i) => coinbaseCommitment((cb.outputs[i] as (typeof cb.outputs)[number]).amount));
  const z = scalarSub(SCALAR_ONE, pseudoMask);
  tx.signatures = [mlsagSign({ message: txSigningHash(tx), ringKeys, ringCommitments, pseudoOut }, secretIndex, x, z)];
  const txid = txId(tx);
  const target = opts.target ?? genesis.params.txPowTarget;
  let nonce: bigint | undefined;
  for (let start = 0n; nonce === undefined; start += 100_000n) nonce = txPowMine(txid, target, start, 100_000);
  tx.powNonce = nonce;
  return { tx, bytes: encodeTx(tx), txid, keyImage: ki };
}

/** The decoded rings of `tx`'s inputs (members are premine outputs of `genesis`), as `mlsagJobs` takes them. */
export function premineRings(genesis: NodeGenesis, tx: Tx): { ringKeys: Uint8Array[]; ringCommitments: Uint8Array[] }[] {
  const cb = genesis.block.coinbase;
  return tx.inputs.map((inp) => ({
    ringKeys: inp.ring.map((g) => cb.outputs[Number(g)]!.oneTimeKey),
    ringCommitments: inp.ring.map((g) => coinbaseCommitment(cb.outputs[Number(g)]!.amount)),
  }));
}

/** Valid MLSAG jobs (one per input, tx index = position) of `count` real 1-input ring-11 txs spending premine outputs 0…count−1. */
export function premineMlsagJobs(genesis: NodeGenesis, count: number): MlsagJob[] {
  return Array.from({ length: count }, (_, i) => buildTx(genesis, i, { salt: i }).tx).flatMap((tx, ti) => mlsagJobs(tx, txSigningHash(tx), premineRings(genesis, tx), ti));
}

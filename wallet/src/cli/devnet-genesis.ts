/**
 * The `baios devnet` genesis (docs/wallet.md §10, docs/consensus.md §5.1): funded devnet
 * wallets, {@link DEVNET_VALIDATOR_COUNT} genesis validators with fixed public seeds and equal
 * stake, devnet staking parameters (short epochs) and a block target sized for the devnet
 * miners' total hash rate (the per-block retarget, docs/consensus.md §4.3, adapts it anyway).
 * @module
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_TXPOW_TARGET, ed25519PublicKey, h32 } from "@baios/crypto";
import { devnetGenesis, genesisToFile } from "@baios/consensus";
import { DEVNET_VALIDATOR_SEED } from "@baios/node";
import { devnetMnemonic } from "../keys.ts";
import { Wallet } from "../wallet.ts";

/** Devnet wallets funded by the genesis: index into {@link devnetMnemonic}, outputs × amount. "dave" funds the devnet's bond. */
export const DEVNET_FUNDED = [
  { name: "alice", index: 0, outputs: 8, amountBai: 10_000n },
  { name: "bob", index: 1, outputs: 8, amountBai: 10_000n },
  { name: "dave", index: 2, outputs: 2, amountBai: 10_000n },
] as const;
/** The miners' coinbase goes to devnet wallet 9. */
export const DEVNET_PAYOUT_INDEX = 9;
/** Devnet Tx-PoW: 16× easier than the calibrated default (50 000 expected hashes instead of 800 000, ~30 ms in WASM). */
export const DEVNET_POW_FACTOR = 16n;
/** Genesis validators of the devnet (node0 … node3). */
export const DEVNET_VALIDATOR_COUNT = 4;
/** Stake of each genesis validator and of the devnet's bond, BAI. */
export const DEVNET_STAKE_BAI = 1000n;
/** Candidate-miner hash attempts per second of each devnet node (`--mine-hash-rate`); the genesis block target is set for the sum. */
export const DEVNET_MINE_HASH_RATE = 4000;
/** Devnet staking parameters (docs/consensus.md §5.1): 10-block epochs, 20-block unbonding delay, 1 BAI minimum stake. */
export const DEVNET_STAKING = { epochLength: 10n, unbondingDelay: 20n, minStake: 100_000_000n } as const;

/**
 * The fixed public seed of devnet validator `i` (32 bytes): validator 0 is the built-in devnet's
 * {@link DEVNET_VALIDATOR_SEED}; `i ≥ 1` is `h32("BAIOS/v1/devnet-validator", u32le(i))`. Devnet
 * only: anyone can sign with these keys.
 */
export function devnetValidatorSeed(i: number): Uint8Array {
  if (i === 0) return DEVNET_VALIDATOR_SEED;
  const le = new Uint8Array(4);
  new DataView(le.buffer).setUint32(0, i, true);
  return h32("BAIOS/v1/devnet-validator", le);
}

/** The devnet Tx-PoW target: `DEFAULT_TXPOW_TARGET · DEVNET_POW_FACTOR + (DEVNET_POW_FACTOR − 1)`, capped at 2^256 − 1; 32 bytes big-endian (docs/crypto.md §7, docs/wallet.md §10). */
export function devnetTxPowTarget(): Uint8Array {
  let t = 0n;
  for (const b of DEFAULT_TXPOW_TARGET) t = (t << 8n) | BigInt(b);
  return be32(min(t * DEVNET_POW_FACTOR + (DEVNET_POW_FACTOR - 1n), (1n << 256n) - 1n));
}

/**
 * The genesis block target (32 bytes big-endian) for miners hashing `hashesPerSecond` in total
 * and one block per `blockTimeMs`: `⌊(2^256 − 1) / (hashesPerSecond · blockTimeMs / 1000)⌋`, at
 * least 1 expected hash (docs/consensus.md §4.1: a block meets it when its hash ≤ target).
 */
export function devnetBlockTarget(hashesPerSecond: number, blockTimeMs: number): Uint8Array {
  const expected = BigInt(Math.max(1, Math.round((hashesPerSecond * blockTimeMs) / 1000)));
  return be32(((1n << 256n) - 1n) / expected);
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
function be32(v: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/**
 * Writes (or reuses) `<dir>/genesis.json`: the funded wallets, `validators` genesis validators
 * (seeds {@link devnetValidatorSeed}, {@link DEVNET_STAKE_BAI} each), {@link DEVNET_STAKING},
 * `blockTimeMs` and the block target for `miners` × {@link DEVNET_MINE_HASH_RATE}.
 * @returns the file's path
 */
export function writeDevnetGenesis(dir: string, o: { blockTimeMs: number; validators: number; miners: number }): string {
  const path = join(dir, "genesis.json");
  if (existsSync(path)) return path;
  const wallets = DEVNET_FUNDED.flatMap((f) => {
    const w = Wallet.restore(devnetMnemonic(f.index), "devnet");
    return Array.from({ length: f.outputs }, (_x, i) => ({
      label: `devnet ${f.name} ${i + 1}/${f.outputs}`,
      address: { viewPublic: w.state.viewPublic, spendPublic: w.state.spendPublic },
      amount: f.amountBai * 100_000_000n,
    }));
  });
  const g = devnetGenesis({
    wallets,
    validators: Array.from({ length: o.validators }, (_x, i) => ({ publicKey: ed25519PublicKey(devnetValidatorSeed(i)), stake: DEVNET_STAKE_BAI * 100_000_000n })),
    params: { blockTimeMs: o.blockTimeMs, txPowTarget: devnetTxPowTarget(), coinbaseMaturity: 10n, blockTarget: devnetBlockTarget(o.miners * DEVNET_MINE_HASH_RATE, o.blockTimeMs), ...DEVNET_STAKING },
  });
  writeFileSync(path, JSON.stringify(genesisToFile(g), null, 2) + "\n");
  return path;
}

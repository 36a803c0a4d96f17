/**
 * `baios wallet stake` (docs/wallet.md §9, docs/consensus.md §4.4): bonds stake to a validator
 * key with a bond transaction (tx version 2). The validator consents by signing the bond's
 * consent message with its Ed25519 key, so the command needs the validator's key file (the
 * 32-byte seed as hex, the node's `--validator-key-file`): a self-bond, or an operator bonding
 * for a validator it runs. The stake becomes voting power at the next epoch boundary.
 * @module
 */
import { readFileSync } from "node:fs";
import { InvalidArgumentError, type Command } from "commander";
import { ed25519PublicKey, ed25519Sign, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { encodeUnbond, unbondMessage, type Unbond } from "@baios/consensus";
import { formatBai } from "../amount.ts";
import { bytesToHex, hexToBytes } from "../hex.ts";
import type { Wallet } from "../wallet.ts";
import { out, rpcClient, type CommonOpts } from "./common.ts";
import { checkAmount } from "./confirm.ts";
import { powBar } from "./progress.ts";

/** The helpers of cli/wallet.ts the stake command reuses. */
export interface StakeCommandDeps {
  common: (c: Command) => Command;
  refreshed: (o: CommonOpts) => Promise<Wallet>;
}

/**
 * Reads a validator key file: 64 hex characters (the 32-byte Ed25519 seed), whitespace around
 * it ignored. Returns the seed and its public key (32 bytes each).
 * @throws Error when the file is unreadable or not 32 bytes of hex
 */
export function readValidatorKeyFile(path: string): { seed: Uint8Array; publicKey: Uint8Array } {
  const text = readFileSync(path, "utf8").trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path}: expected the 32-byte validator seed as 64 hex characters`);
  const seed = hexToBytes(text);
  return { seed, publicKey: ed25519PublicKey(seed) };
}

/** The bond's `stake` option for {@link Wallet.transfer}: `amount` atomic units to the key of `seed`, consent signed with it. */
export function bondWithSeed(seed: Uint8Array, amount: bigint): { validator: Uint8Array; amount: bigint; consent: (m: Uint8Array) => Uint8Array } {
  return { validator: ed25519PublicKey(seed), amount, consent: (m) => ed25519Sign(seed, m) };
}

/**
 * A signed unbond request (docs/consensus.md §4.4): `amount` atomic units of the stake bonded to
 * the key of `seed`, paid after the unbonding delay as a coinbase-style output (public amount,
 * mask 1) to `to` — a fresh one-time key from a random tx secret r (`R = r·G`, output index 0,
 * the wallet finds it like a coinbase output) — signed by the validator key over
 * `unbondMessage(chainId, …)`.
 * @throws CryptoError on invalid address keys
 */
export function signedUnbond(seed: Uint8Array, chainId: number, amount: bigint, to: { viewPublic: Uint8Array; spendPublic: Uint8Array }): Unbond {
  const r = randomScalar();
  const o = makeOutput(r, to.viewPublic, to.spendPublic, 0, amount);
  const body = { validator: ed25519PublicKey(seed), amount, oneTimeKey: o.oneTimeKey, viewTag: o.viewTag, txPublicKey: scalarMultBase(r) };
  return { ...body, signature: ed25519Sign(seed, unbondMessage(chainId, body)) };
}

const hex32 = (v: string): string => {
  if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new InvalidArgumentError("--validator: expected a 32-byte public key as 64 hex characters");
  return v.toLowerCase();
};

/** Adds `unbond` to `baios wallet`. */
export function addUnbondCommand(w: Command, d: StakeCommandDeps): void {
  d.common(w.command("unbond").description("ask to unbond stake from a validator key (signed with --validator-key-file); paid to this wallet after the unbonding delay, slashable until then"))
    .requiredOption("--amount <bai>", "stake to unbond, in BAI")
    .requiredOption("--validator-key-file <file>", "the validator's key file (32-byte seed as hex): signs the request")
    .action(async (o: CommonOpts & { amount: string; validatorKeyFile: string }) => {
      const amount = checkAmount(o.amount);
      const key = readValidatorKeyFile(o.validatorKeyFile);
      const wallet = await d.refreshed(o);
      const client = rpcClient(o);
      const params = await client.getParams();
      const u = signedUnbond(key.seed, params.chainId, amount, { viewPublic: wallet.state.viewPublic, spendPublic: wallet.state.spendPublic });
      const r = await client.submitUnbond(encodeUnbond(u));
      out(`unbond    ${formatBai(amount)} BAI from validator ${bytesToHex(key.publicKey)} → this wallet, one-time key ${bytesToHex(u.oneTimeKey)}`);
      out(r.accepted ? "submitted to the node's miner; paid after the unbonding delay (node RPC get_staking lists the queue)" : "already pooled at that node");
    });
}

/** Adds `stake` to `baios wallet`. */
export function addStakeCommand(w: Command, d: StakeCommandDeps): void {
  d.common(w.command("stake").description("bond stake to a validator key (a bond transaction; the validator signs its consent with --validator-key-file); voting power from the next epoch boundary"))
    .requiredOption("--amount <bai>", "stake to bond, in BAI (e.g. 1000)")
    .requiredOption("--validator-key-file <file>", "the validator's key file (32-byte seed as hex, the node's --validator-key-file): signs the validator's consent")
    .option("--validator <hex>", "the validator's Ed25519 public key (checked against the key file)", hex32)
    .option("--fee <bai>", "fee in BAI (default: the node's current fee)")
    .action(async (o: CommonOpts & { amount: string; validatorKeyFile: string; validator?: string; fee?: string }) => {
      const amount = checkAmount(o.amount);
      const fee = o.fee !== undefined ? checkAmount(o.fee) : undefined;
      const key = readValidatorKeyFile(o.validatorKeyFile);
      if (o.validator !== undefined && o.validator !== bytesToHex(key.publicKey)) throw new Error(`--validator ${o.validator} is not the key in ${o.validatorKeyFile} (${bytesToHex(key.publicKey)})`);
      const wallet = await d.refreshed(o);
      const bar = powBar({ label: "stake", quiet: o.quiet === true });
      try {
        const r = await wallet.transfer(rpcClient(o), { destinations: [], stake: bondWithSeed(key.seed, amount), ...(fee !== undefined ? { fee } : {}), onPowProgress: bar.onPowProgress });
        bar.done();
        out(`txid      ${r.txid}`);
        out(`bonded    ${formatBai(amount)} BAI to validator ${bytesToHex(key.publicKey)}   fee ${formatBai(r.fee)} BAI   change ${formatBai(r.change)} BAI`);
        out("the stake counts from the first epoch boundary after the bond is final (node RPC get_staking shows it)");
      } finally {
        bar.done();
      }
    });
}

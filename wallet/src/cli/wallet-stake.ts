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
import { ed25519PublicKey, ed25519Sign } from "@baios/crypto";
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

const hex32 = (v: string): string => {
  if (!/^[0-9a-fA-F]{64}$/.test(v)) throw new InvalidArgumentError("--validator: expected a 32-byte public key as 64 hex characters");
  return v.toLowerCase();
};

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

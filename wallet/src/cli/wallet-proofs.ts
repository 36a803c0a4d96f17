/**
 * `baios wallet` proof commands (docs/wallet.md §7.1–§7.3, §9): get-tx-proof, check-tx-proof,
 * get-reserve-proof, check-reserve-proof, export-key-images, import-key-images. Amounts are shown
 * in BAI. A check that fails exits with status 1 and says why.
 * @module
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import { formatBai } from "../amount.ts";
import { checkReserveProof, checkTxProof, exportKeyImages, getReserveProof, getTxProof, importKeyImages } from "../proofs.ts";
import type { Wallet } from "../wallet.ts";
import { network, out, rpcClient, type CommonOpts } from "./common.ts";
import { checkAmount } from "./confirm.ts";

/** The helpers of cli/wallet.ts the proof commands reuse. */
export interface ProofCommandDeps {
  /** Adds the shared wallet options (--wallet, --rpc, --password-file, …) to a subcommand. */
  common: (c: Command) => Command;
  /** Opens the wallet file (password prompt) without scanning. */
  openWallet: (o: CommonOpts) => Promise<Wallet>;
  /** Opens the wallet and scans new blocks. */
  refreshed: (o: CommonOpts) => Promise<Wallet>;
}

const netOf = (o: CommonOpts): ReturnType<typeof network> | undefined => (o.network !== undefined || process.env["BAIOS_NETWORK"] !== undefined ? network(o) : undefined);

/** Adds the proof subcommands to `baios wallet`. */
export function addProofCommands(w: Command, d: ProofCommandDeps): void {
  d.common(w.command("get-tx-proof").description("prove a payment you sent to <address> in <txid>, without revealing the tx key (signed over [message])"))
    .argument("<txid>")
    .argument("<address>")
    .argument("[message]", "text the proof is bound to", "")
    .action(async (txid: string, address: string, message: string, o: CommonOpts) => {
      const wallet = await d.openWallet(o);
      out(getTxProof(wallet.state, txid, address, message));
    });

  d.common(w.command("check-tx-proof").description("check a payment proof: what <txid> paid <address>"))
    .argument("<txid>")
    .argument("<address>")
    .argument("<proof>")
    .argument("[message]", "the text the proof was bound to", "")
    .action(async (txid: string, address: string, proof: string, message: string, o: CommonOpts) => {
      const r = await checkTxProof(rpcClient(o), txid, address, proof, message, netOf(o));
      out(`good proof: ${formatBai(r.received)} BAI to ${address} in ${r.txid} (${r.status}${r.height !== null ? ` at height ${r.height}` : ""})`);
      for (const x of r.outputs) out(`  output ${x.index}: ${formatBai(x.amount)} BAI`);
      if (r.outputs.length === 0) process.exitCode = 1;
    });

  d.common(w.command("get-reserve-proof").description("prove the unspent funds of this wallet (all, or at least [amount] BAI), signed over [message]"))
    .argument("[amount]", "amount in BAI, or `all`", "all")
    .argument("[message]", "text the proof is bound to", "")
    .action(async (amount: string, message: string, o: CommonOpts) => {
      const atomic = amount === "all" ? undefined : checkAmount(amount);
      const wallet = await d.refreshed(o);
      out(getReserveProof(wallet.state, atomic, message));
    });

  d.common(w.command("check-reserve-proof").description("check a reserve proof of <address> against the node: unspent and spent amounts"))
    .argument("<address>")
    .argument("<proof>")
    .argument("[message]", "the text the proof was bound to", "")
    .action(async (address: string, proof: string, message: string, o: CommonOpts) => {
      const r = await checkReserveProof(rpcClient(o), address, proof, message, netOf(o));
      out(`good reserve proof: ${formatBai(r.unspent)} BAI unspent, ${formatBai(r.spent)} BAI spent, in ${r.outputs.length} outputs`);
    });

  d.common(w.command("export-key-images").description("write the signed key images of this (full) wallet's outputs to <file>, for its view-only wallet"))
    .argument("<file>")
    .action(async (file: string, o: CommonOpts) => {
      const wallet = await d.refreshed(o);
      const e = exportKeyImages(wallet.state);
      writeFileSync(file, JSON.stringify(e, null, 1) + "\n", { mode: 0o600 });
      out(`wrote ${e.keyImages.length} signed key images to ${file}`);
    });

  d.common(w.command("import-key-images").description("import signed key images from <file> into this view-only wallet, so it sees spends"))
    .argument("<file>")
    .action(async (file: string, o: CommonOpts) => {
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, "utf8"));
      } catch (e) {
        throw new Error(`${file}: not a key-image file (${(e as Error).message})`);
      }
      const wallet = await d.refreshed(o);
      const client = rpcClient(o);
      const r = await importKeyImages(wallet.state, data, client);
      wallet.save();
      const b = await wallet.balance(client);
      out(`imported ${r.imported} key images (${r.spent} spent, ${r.unknown} for outputs not seen yet)`);
      out(`spendable ${formatBai(b.spendable)} BAI`);
      out(`pending   ${formatBai(b.pending)} BAI`);
    });
}

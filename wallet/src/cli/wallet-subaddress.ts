/**
 * `baios wallet new-address` and `baios wallet accounts` (docs/wallet.md §2.1, §9): subaddresses
 * and accounts the CryptoNote way; `baios wallet address --account N --index M` prints any of them.
 * @module
 */
import { InvalidArgumentError, type Command } from "commander";
import { formatBai } from "../amount.ts";
import { accountBalances, newSubaddress, subaddressOf } from "../subaddress.ts";
import { out, type CommonOpts } from "./common.ts";
import type { ProofCommandDeps } from "./wallet-proofs.ts";

/** A commander argParser for a u32 flag (`--account`, `--index`). */
export const u32Arg =
  (flag: string) =>
  (v: string): number => {
    if (!/^\d{1,10}$/.test(v) || Number(v) > 0xffff_ffff) throw new InvalidArgumentError(`${flag}: expected an integer in 0..4294967295`);
    return Number(v);
  };

/** Adds `new-address` and `accounts` to `baios wallet`. */
export function addSubaddressCommands(w: Command, d: ProofCommandDeps): void {
  d.common(w.command("new-address").description("hand out the next subaddress of an account (only the view key links it to this wallet)"))
    .option("--account <n>", "account number (default 0)", u32Arg("--account"), 0)
    .action(async (o: CommonOpts & { account: number }) => {
      const wallet = await d.openWallet(o);
      const a = newSubaddress(wallet.state, o.account);
      wallet.save();
      out(`account ${a.account}  index ${a.index}`);
      out(a.address);
    });

  d.common(w.command("accounts").description("scan new blocks and print the balance of each account, and its subaddresses"))
    .action(async (o: CommonOpts) => {
      const wallet = await d.refreshed(o);
      for (const b of accountBalances(wallet.state)) {
        out(`account ${b.account}: spendable ${formatBai(b.spendable)} BAI, pending ${formatBai(b.pending)} BAI, ${b.outputs} outputs`);
        const subs = (wallet.state.subaddresses ?? []).filter(([a]) => a === b.account).sort((x, y) => x[1] - y[1]);
        for (const [a, i] of [...(b.account === 0 ? [[0, 0] as [number, number]] : []), ...subs]) out(`  ${a}/${i}  ${subaddressOf(wallet.state, a, i)}`);
      }
    });
}

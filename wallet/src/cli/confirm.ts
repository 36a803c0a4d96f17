/**
 * Transfer checks and confirmation for `baios wallet transfer` / `sweep-all` (monero-wallet-cli as
 * the reference): destinations and amounts are checked before the password is asked or the chain
 * scanned; the plan (destinations, amounts, fee, ring size) is shown and confirmed before sending.
 * @module
 */
import { createInterface } from "node:readline/promises";
import { decodeAnyAddress, type Network } from "../address.ts";
import { formatBai, parseBai } from "../amount.ts";
import type { TransferPlan } from "../wallet.ts";

/**
 * Parses `<address> <amount>` pairs (amounts in BAI, e.g. `12.5`) without opening the wallet.
 * @param network when known (`--network`), every address must be on it
 * @throws Error naming the bad argument: odd count, a bad address (checksum, prefix, network), a bad or non-positive amount
 */
export function parseDestinations(pairs: readonly string[], network?: Network): { address: string; amount: bigint }[] {
  if (pairs.length === 0 || pairs.length % 2 !== 0) throw new Error("expected <address> <amount> pairs (amount in BAI)");
  const out = [];
  for (let i = 0; i < pairs.length; i += 2) {
    out.push({ address: checkAddress(pairs[i]!, network), amount: checkAmount(pairs[i + 1]!) });
  }
  return out;
}

/** Checks one address (bech32m checksum, prefix, length, and the network when given); returns it unchanged. @throws Error `bad address <addr>: <reason>` */
export function checkAddress(address: string, network?: Network): string {
  try {
    decodeAnyAddress(address, network);
  } catch (e) {
    throw new Error(`bad address ${address}: ${(e as Error).message}`);
  }
  return address;
}

/** Parses a BAI amount (> 0, at most 8 decimals) to atomic units. @throws Error `bad amount <text>: …` */
export function checkAmount(text: string): bigint {
  let v: bigint;
  try {
    v = parseBai(text);
  } catch (e) {
    throw new Error(`bad amount ${text}: ${(e as Error).message} (amounts are in BAI, e.g. 12.5)`);
  }
  if (v <= 0n) throw new Error(`bad amount ${text}: must be positive`);
  return v;
}

/** The confirmation text: one line per destination (full address, amount in BAI), then fee, ring size, inputs and change. */
export function describePlan(p: TransferPlan): string {
  const lines = p.destinations.map((d) => `  send   ${formatBai(d.amount)} BAI to ${d.address}`);
  lines.push(`  fee    ${formatBai(p.fee)} BAI`, `  ring   ${p.ringSize} (spending ${p.inputs} output${p.inputs === 1 ? "" : "s"}; change ${formatBai(p.change)} BAI)`);
  const total = p.destinations.reduce((s, d) => s + d.amount, 0n) + p.fee;
  lines.push(`  total  ${formatBai(total)} BAI`);
  return lines.join("\n");
}

/**
 * The confirmation callback of a CLI transfer: with `yes` it accepts at once; otherwise it prints
 * the plan on stderr and asks `Send? [y/N]` on the terminal. Without a terminal (piped stdin) and
 * without `--yes` it refuses, so a script never sends by accident.
 */
export function confirmer(yes: boolean): (p: TransferPlan) => Promise<boolean> {
  return async (p) => {
    process.stderr.write(`${describePlan(p)}\n`);
    if (yes) return true;
    if (!process.stdin.isTTY) throw new Error("confirmation needed: stdin is not a terminal; pass --yes to send without asking");
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      const a = await rl.question("Send? [y/N] ");
      return /^y(es)?$/i.test(a.trim());
    } finally {
      rl.close();
    }
  };
}

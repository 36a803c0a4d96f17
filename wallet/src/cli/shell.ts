/**
 * `baios wallet open`: an interactive shell (node:readline) that keeps the wallet unlocked and
 * refreshes it in the background, like monero-wallet-cli. Commands: balance, address,
 * transfer <address> <amount> […], sweep-all <address>, history [--in|--out|--pending], refresh,
 * help, exit. Ctrl-D or Ctrl-C at the prompt, or `exit`, saves the wallet and releases its lock.
 * One wallet operation runs at a time (the background refresh waits for a transfer and vice versa).
 * @module
 */
import { createInterface, type Interface } from "node:readline";
import type { NodeRpcClient } from "@baios/node/client";
import { formatBai } from "../amount.ts";
import type { TransferPlan, Wallet } from "../wallet.ts";
import { checkAddress, describePlan, parseDestinations } from "./confirm.ts";
import { historyRows, historyTable } from "./history-table.ts";

/** Shell commands and their one-line help. */
export const SHELL_COMMANDS: Readonly<Record<string, string>> = {
  balance: "spendable and pending balance",
  address: "this wallet's address",
  transfer: "transfer <address> <amount BAI> [<address> <amount> …]: asks before sending",
  "sweep-all": "sweep-all <address>: send everything spendable, minus the fee",
  history: "history [--in] [--out] [--pending]",
  refresh: "scan new blocks now",
  help: "this list",
  exit: "save and quit (also Ctrl-D)",
};

/** Runs the shell until `exit`, Ctrl-D or Ctrl-C; the caller closes the wallet afterwards. */
export async function runShell(wallet: Wallet, client: NodeRpcClient, opts: { refreshMs: number }): Promise<void> {
  const rl = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: "baios> ",
    completer: (line: string) => {
      const hits = Object.keys(SHELL_COMMANDS).filter((c) => c.startsWith(line));
      return [hits, line];
    },
  });
  const say = (s: string): void => {
    process.stdout.write(s + "\n");
  };
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  /** Runs `f` after every earlier operation; an error is printed, never thrown. */
  const serial = (f: () => Promise<void>): Promise<void> => (queue = queue.then(f).catch((e: unknown) => say(`error: ${(e as Error).message}`)));
  const timer = setInterval(() => {
    void serial(async () => {
      if (closed) return;
      await wallet.refresh(client);
      wallet.save();
    });
  }, opts.refreshMs);
  timer.unref();

  const done = new Promise<void>((resolve) => rl.once("close", () => resolve()));
  rl.on("SIGINT", () => rl.close());
  say(`wallet ${wallet.address}\nheight ${wallet.state.scannedHeight}; refreshing every ${opts.refreshMs / 1000} s. Type help for the commands, exit or Ctrl-D to quit.`);
  rl.prompt();
  rl.on("line", (line) => {
    rl.pause();
    void serial(() => runLine(line.trim(), wallet, client, rl, say)).then(() => {
      if (!closed) {
        rl.resume();
        rl.prompt();
      }
    });
  });
  await done;
  closed = true;
  clearInterval(timer);
  await queue;
  say("");
}

/** Asks `question` on the shell's own readline (a second interface on stdin would steal keys). */
const ask = (rl: Interface, question: string): Promise<string> =>
  new Promise((resolve) => {
    rl.resume();
    rl.question(question, resolve);
  });

async function runLine(line: string, wallet: Wallet, client: NodeRpcClient, rl: Interface, say: (s: string) => void): Promise<void> {
  const [cmd, ...args] = line.split(/\s+/);
  switch (cmd) {
    case "":
    case undefined:
      return;
    case "help":
      for (const [k, v] of Object.entries(SHELL_COMMANDS)) say(`  ${k.padEnd(10)} ${v}`);
      return;
    case "exit":
    case "quit":
      rl.close();
      return;
    case "address":
      say(wallet.address);
      return;
    case "refresh": {
      const s = await wallet.refresh(client);
      wallet.save();
      say(`height ${wallet.state.scannedHeight}: ${s.found} new outputs, ${s.spent} spent`);
      return;
    }
    case "balance": {
      const b = await wallet.balance(client);
      say(`spendable ${formatBai(b.spendable)} BAI\npending   ${formatBai(b.pending)} BAI\nheight    ${wallet.state.scannedHeight}`);
      return;
    }
    case "history": {
      const rows = historyRows(wallet, { in: args.includes("--in"), out: args.includes("--out"), pending: args.includes("--pending") });
      say(rows.length === 0 ? "no transfers" : historyTable(rows));
      return;
    }
    case "transfer":
    case "sweep-all": {
      const sweepAll = cmd === "sweep-all";
      if (sweepAll && args.length !== 1) throw new Error("usage: sweep-all <address>");
      const destinations = sweepAll ? [{ address: checkAddress(args[0]!, wallet.network), amount: 0n }] : parseDestinations(args, wallet.network);
      const confirm = async (p: TransferPlan): Promise<boolean> => {
        say(describePlan(p));
        return /^y(es)?$/i.test((await ask(rl, "Send? [y/N] ")).trim());
      };
      const r = await wallet.transfer(client, { destinations, sweepAll, confirm });
      say(`txid ${r.txid}\nsent ${formatBai(r.sent)} BAI, fee ${formatBai(r.fee)} BAI, change ${formatBai(r.change)} BAI`);
      return;
    }
    default:
      throw new Error(`unknown command ${cmd}; type help`);
  }
}

/**
 * `baios wallet …`: create, restore, address, balance, transfer, history, rescan, tx-key,
 * check-tx-key, export-view-key, rpc. Every command that needs the chain talks to a node over
 * JSON-RPC (`--rpc`, default the `--network`'s RPC port on 127.0.0.1: 48545 devnet, 38545 testnet,
 * 28545 mainnet); secrets stay in this process.
 * @module
 */
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { formatBai, parseBai } from "../amount.ts";
import { checkTxKey } from "../txkey.ts";
import { Wallet } from "../wallet.ts";
import { ensureWalletDir } from "../walletfile.ts";
import { assertAuthPolicy } from "@baios/node/client";
import { NETWORK_PORTS } from "@baios/node/ports";
import { network, out, password, promptMnemonic, rpcClient, walletPath, type CommonOpts } from "./common.ts";
import { powBar, scanBar } from "./progress.ts";
import { addSharedOptions } from "./shared-options.ts";
import { shutdownSignal } from "./shutdown-signals.ts";
import { checkAddress, checkAmount, confirmer, parseDestinations } from "./confirm.ts";
import { historyRows, historyTable, type HistoryFilter } from "./history-table.ts";
import { addProofCommands } from "./wallet-proofs.ts";
import { addSubaddressCommands, u32Arg } from "./wallet-subaddress.ts";
import { addStakeCommand, addUnbondCommand } from "./wallet-stake.ts";
import { subaddressOf } from "../subaddress.ts";

const common = (c: Command): Command =>
  c
    .option("--wallet <file>", "wallet file (env BAIOS_WALLET, default ~/.baios/wallet.json)")
    .option("--rpc <url>", "node JSON-RPC URL (env BAIOS_RPC_URL, default: the network's RPC port on 127.0.0.1, 48545 devnet / 38545 testnet / 28545 mainnet)")
    .option("--rpc-token-file <file>", "the node's RPC cookie (else env BAIOS_RPC_TOKEN, else BAIOS_RPC_TOKEN_FILE, else ~/.baios/rpc.cookie if present)")
    .option("--password-file <file>", "read the wallet password from a file (else env BAIOS_WALLET_PASSWORD, else a prompt)")
    .option("-q, --quiet", "no progress bars");

async function openWallet(o: CommonOpts): Promise<Wallet> {
  const path = walletPath(o);
  if (!existsSync(path)) throw new Error(`no wallet file at ${path} (create or restore one first)`);
  return Wallet.open(path, await password(o));
}

async function refreshed(o: CommonOpts): Promise<Wallet> {
  const w = await openWallet(o);
  const bar = scanBar({ label: "wallet", quiet: o.quiet === true });
  try {
    await w.refresh(rpcClient(o), bar.onProgress);
  } finally {
    bar.done();
  }
  w.save();
  return w;
}

/** A commander argParser for a non-negative integer flag. */
const intArg =
  (flag: string) =>
  (v: string): number => {
    if (!/^\d{1,15}$/.test(v)) throw new InvalidArgumentError(`${flag}: expected a non-negative integer`);
    return Number(v);
  };

/** Sends a checked transfer (or a sweep): password, scan, confirmation (unless --yes), Tx-PoW, submit; prints txid, amounts and fee in BAI. */
async function send(o: CommonOpts & { fee?: string; maxFee?: string; yes?: boolean }, destinations: { address: string; amount: bigint }[], sweepAll: boolean): Promise<void> {
  const fee = o.fee !== undefined ? checkAmount(o.fee) : undefined;
  const maxFee = o.maxFee !== undefined ? checkAmount(o.maxFee) : undefined;
  const wallet = await refreshed(o);
  const bar = powBar({ label: "transfer", quiet: o.quiet === true });
  try {
    const r = await wallet.transfer(rpcClient(o), { destinations, sweepAll, ...(fee !== undefined ? { fee } : {}), ...(maxFee !== undefined ? { maxFee } : {}), confirm: confirmer(o.yes === true), onPowProgress: bar.onPowProgress });
    bar.done();
    out(`txid   ${r.txid}`);
    out(`sent   ${formatBai(r.sent)} BAI   fee ${formatBai(r.fee)} BAI   change ${formatBai(r.change)} BAI`);
    out(`size   ${r.size} bytes, ${r.inputs} in / ${r.outputs} out, ring ${r.ringSize}, Tx-PoW ${r.powHashes} hashes`);
  } finally {
    bar.done();
  }
}

function newWalletFile(o: CommonOpts): string {
  const path = walletPath(o);
  if (existsSync(path)) throw new Error(`${path} exists; refusing to overwrite a wallet`);
  ensureWalletDir(path); // 0700
  return path;
}

/** The `baios wallet` command and its subcommands: create, restore, address, balance, transfer, history, rescan, tx-key, check-tx-key, export-view-key, rpc (docs/wallet.md §9). Chain access goes through the node's JSON-RPC; secrets stay in this process. */
export function walletCommand(): Command {
  const w = addSharedOptions(new Command("wallet").description("wallet commands (keys never leave this process)"));

  common(w.command("create").description("create a wallet with a new 24-word mnemonic"))
    .addOption(new Option("--network <net>", "mainnet | testnet | devnet (env BAIOS_NETWORK)").default(undefined))
    .action(async (o: CommonOpts) => {
      const path = newWalletFile(o);
      const { wallet, mnemonic } = Wallet.create(network(o));
      wallet.saveAs(path, await password(o, true));
      out(`wallet   ${path}`);
      out(`address  ${wallet.address}`);
      out(`mnemonic ${mnemonic}`);
      out("Write the 24 words down: they are the only backup of this wallet.");
    });

  common(w.command("restore").description("restore a wallet from its 24 words (or a view-only wallet from a view key)"))
    .option("--network <net>", "mainnet | testnet | devnet (env BAIOS_NETWORK)")
    .option("--mnemonic-file <file>", "read the 24 words from a file (else env BAIOS_MNEMONIC, else a prompt)")
    .option("--view-key <key>", "restore a view-only wallet from an exported view key")
    .option("--restore-height <n>", "first block height to scan (the wallet's birthday; default 0)", intArg("--restore-height"))
    .action(async (o: CommonOpts & { mnemonicFile?: string; viewKey?: string; restoreHeight?: number }) => {
      const path = newWalletFile(o);
      let wallet: Wallet;
      if (o.viewKey !== undefined) wallet = Wallet.fromViewKey(o.viewKey);
      else {
        const { readFileSync } = await import("node:fs");
        const m = o.mnemonicFile !== undefined ? readFileSync(o.mnemonicFile, "utf8") : (process.env["BAIOS_MNEMONIC"] ?? (await promptMnemonic()));
        wallet = Wallet.restore(m, network(o));
      }
      // a scan starts after the block before the birthday, which is then verified on its own (certificate)
      if (o.restoreHeight !== undefined && o.restoreHeight > 0) wallet.state.scannedHeight = o.restoreHeight - 1;
      wallet.saveAs(path, await password(o, true));
      out(`wallet   ${path}${wallet.viewOnly ? " (view-only)" : ""}`);
      out(`address  ${wallet.address}`);
      out("Run `baios wallet balance` to scan the chain.");
    });

  common(w.command("address").description("print the wallet's address, or the subaddress --account N --index M (0/0 is the main address)"))
    .option("--account <n>", "account number", u32Arg("--account"), 0)
    .option("--index <n>", "subaddress index within the account", u32Arg("--index"), 0)
    .action(async (o: CommonOpts & { account: number; index: number }) => {
      const wallet = await openWallet(o);
      out(o.account === 0 && o.index === 0 ? wallet.address : subaddressOf(wallet.state, o.account, o.index));
    });

  common(w.command("balance").description("scan new blocks and print spendable and pending balance")).action(async (o: CommonOpts) => {
    const wallet = await refreshed(o);
    const b = await wallet.balance(rpcClient(o));
    out(`spendable ${formatBai(b.spendable)} BAI`);
    out(`pending   ${formatBai(b.pending)} BAI`);
    out(`height    ${wallet.state.scannedHeight}${wallet.viewOnly ? "  (view-only: spends are not visible)" : ""}`);
  });

  common(w.command("transfer").description("send BAI: transfer <address> <amount> [<address> <amount> …] (shows destinations, fee and ring size and asks before sending)"))
    .argument("<pairs...>", "address amount pairs (amount in BAI, e.g. 12.5)")
    .option("--fee <bai>", "fee in BAI (default: the node's current fee, at least the consensus minimum 0.001; a lower fee is an error)")
    .option("--max-fee <bai>", "pay up to this fee when the node asks for more than 0.01 BAI (10 × the consensus minimum); without it such a transfer stops")
    .option("-y, --yes", "send without asking for confirmation (needed when stdin is not a terminal)")
    .action(async (pairs: string[], o: CommonOpts & { fee?: string; maxFee?: string; yes?: boolean }) => {
      // everything the user typed is checked before the password prompt and the scan
      const destinations = parseDestinations(pairs, o.network !== undefined ? network(o) : undefined);
      await send(o, destinations, false);
    });

  common(w.command("sweep-all").description("send everything spendable to <address> (minus the fee); asks before sending"))
    .argument("<address>", "destination address")
    .option("--fee <bai>", "fee in BAI (default: the node's current fee; a lower fee is an error)")
    .option("--max-fee <bai>", "pay up to this fee when the node asks for more than 0.01 BAI")
    .option("-y, --yes", "send without asking for confirmation (needed when stdin is not a terminal)")
    .action(async (address: string, o: CommonOpts & { fee?: string; maxFee?: string; yes?: boolean }) => {
      await send(o, [{ address: checkAddress(address, o.network !== undefined ? network(o) : undefined), amount: 0n }], true);
    });

  common(w.command("history").description("transfers seen on chain, as a table (date UTC, amounts and fees in BAI, full addresses)"))
    .option("--in", "incoming only")
    .option("--out", "outgoing only")
    .option("--pending", "sent transfers not yet on chain")
    .option("--min-height <n>", "from this height", intArg("--min-height"))
    .option("--max-height <n>", "up to this height", intArg("--max-height"))
    .action(async (o: CommonOpts & HistoryFilter) => {
      const wallet = await refreshed(o);
      const rows = historyRows(wallet, o);
      out(rows.length === 0 ? "no transfers" : historyTable(rows));
    });

  common(w.command("open").description("interactive shell: keeps the wallet unlocked and refreshes in the background (balance, address, transfer, sweep-all, history, refresh, exit)"))
    .option("--refresh-ms <ms>", "background refresh interval in ms", intArg("--refresh-ms"), 10_000)
    .action(async (o: CommonOpts & { refreshMs: number }) => {
      const wallet = await refreshed(o);
      const { runShell } = await import("./shell.ts");
      try {
        await runShell(wallet, rpcClient(o), { refreshMs: Math.max(1000, o.refreshMs) });
      } finally {
        wallet.close(); // save, release the file lock
      }
    });

  common(w.command("rescan").description("forget scanned data and scan again from genesis")).action(async (o: CommonOpts) => {
    const wallet = await openWallet(o);
    const bar = scanBar({ label: "wallet", quiet: o.quiet === true });
    try {
      await wallet.rescan(rpcClient(o), bar.onProgress);
    } finally {
      bar.done();
    }
    wallet.save();
    const b = await wallet.balance(rpcClient(o));
    out(`rescanned to height ${wallet.state.scannedHeight}: spendable ${formatBai(b.spendable)} BAI, pending ${formatBai(b.pending)} BAI`);
  });

  common(w.command("tx-key").description("print the tx key of a transfer you sent (a payment proof): r, or with one tx public key per output (a subaddress destination) every r_k concatenated, main key first"))
    .argument("<txid>")
    .action(async (txid: string, o: CommonOpts) => {
      out((await openWallet(o)).txKey(txid));
    });

  common(w.command("check-tx-key").description("check a payment proof: which outputs of <txid> pay <address> (or subaddress), and how much"))
    .argument("<txid>")
    .argument("<txkey>", "the tx key text as tx-key prints it: one key (64 hex), or all per-output keys concatenated")
    .argument("<address>", "a baios… address or baios…sub… subaddress")
    .action(async (txid: string, txkey: string, address: string, o: CommonOpts) => {
      const r = await checkTxKey(rpcClient(o), txid, txkey, address);
      out(`${r.outputs.length === 0 ? "NO payment" : "payment found"}: ${formatBai(r.received)} BAI to ${address.slice(0, 24)}… in ${r.txid} (${r.status}${r.height !== null ? ` at height ${r.height}` : ""})`);
      for (const x of r.outputs) out(`  output ${x.index}: ${formatBai(x.amount)} BAI`);
      if (r.outputs.length === 0) process.exitCode = 1;
    });

  common(w.command("export-view-key").description("print the view key (a, B) for a view-only wallet (secret: reveals incoming payments)")).action(async (o: CommonOpts) => {
    out((await openWallet(o)).viewKey());
  });

  common(w.command("rpc").description("serve the wallet JSON-RPC (bearer-token authentication; docs/wallet.md §8)"))
    .option("--port <port>", "listen port (default: the network's wallet RPC port, 48546 devnet / 38546 testnet / 28546 mainnet)")
    .option("--host <host>", "listen host", "127.0.0.1")
    .option("--token-file <file>", "the wallet RPC's token file, created 0600 if missing (default <wallet>.rpc-token)")
    .option("--disable-auth", "serve without authentication (only on a loopback --host)")
    .option("--allow-origin <origins>", "comma-separated origins whose browser pages may call (default none)")
    .option("--allow-host <names>", "comma-separated extra Host names served (default: the listen address and localhost)")
    .option("--wallet-dir <dir>", "directory of create_wallet / open_wallet files; without --wallet (or BAIOS_WALLET) the server starts with no wallet open")
    .action(async (o: CommonOpts & { port?: string; host: string; tokenFile?: string; disableAuth?: boolean; allowOrigin?: string; allowHost?: string; walletDir?: string }) => {
      const list = (v: string | undefined): string[] => (v ?? "").split(",").map((x) => x.trim()).filter((x) => x !== "");
      const port = o.port !== undefined ? Number(o.port) : NETWORK_PORTS[network(o)].walletRpc;
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("--port: expected 0..65535");
      // with --wallet-dir and no --wallet / BAIOS_WALLET: no wallet until open_wallet / create_wallet (monero-wallet-rpc)
      const noWallet = o.walletDir !== undefined && o.wallet === undefined && process.env["BAIOS_WALLET"] === undefined;
      const tokenFile = o.tokenFile ?? (noWallet ? join(o.walletDir as string, ".rpc-token") : `${walletPath(o)}.rpc-token`);
      // refuse a bad listen configuration before the (slow) scan
      assertAuthPolicy({ what: "wallet RPC", host: o.host, authEnabled: o.disableAuth !== true });
      if (o.walletDir !== undefined) mkdirSync(o.walletDir, { recursive: true, mode: 0o700 });
      const wallet = noWallet ? undefined : await refreshed(o);
      const { startWalletRpc } = await import("../rpc.ts"); // the server only for `wallet rpc`
      // the SIGINT/SIGTERM listeners before the server starts and its line is printed (shutdown-signals.ts);
      // during the scan above a signal still ends the process (proper-lockfile releases the lock)
      const stopSignal = shutdownSignal();
      const srv = await startWalletRpc(wallet, rpcClient(o), {
        host: o.host,
        port,
        ...(o.disableAuth === true ? { disableAuth: true } : { tokenFile }),
        allowOrigins: list(o.allowOrigin),
        allowHosts: list(o.allowHost),
        ...(o.walletDir !== undefined ? { walletDir: resolve(o.walletDir), network: network(o) } : {}),
      });
      out(`wallet rpc ${srv.url}`);
      out(srv.tokenFile !== undefined ? `rpc token file ${srv.tokenFile} (send Authorization: Bearer <token>, or curl -u baios:$(cat ${srv.tokenFile}))` : "rpc authentication OFF (--disable-auth)");
      await stopSignal;
      await srv.close();
      srv.wallet()?.close(); // save on shutdown, release the file lock
      wallet?.close();
    });

  addProofCommands(w, { common, openWallet, refreshed });
  addSubaddressCommands(w, { common, openWallet, refreshed });
  addStakeCommand(w, { common, refreshed });
  addUnbondCommand(w, { common, refreshed });

  return w;
}

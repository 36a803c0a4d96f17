/** The options shared by the `baios` wallet commands, accepted before or after the subcommand. Light: imports only commander. @module */
import { Option, type Command } from "commander";

/**
 * Options every wallet command understands, accepted anywhere on the command line: before the
 * subcommand (`baios --wallet w.json wallet balance`), between (`baios wallet --wallet w.json
 * balance`) or after it (`baios wallet balance --wallet w.json`). The innermost value wins.
 */
export const SHARED_OPTIONS: readonly { flags: string; description: string; key: string }[] = [
  { flags: "--wallet <file>", description: "wallet file (env BAIOS_WALLET, default ~/.baios/wallet.json)", key: "wallet" },
  { flags: "--rpc <url>", description: "node JSON-RPC URL (env BAIOS_RPC_URL, default: the network's RPC port on 127.0.0.1)", key: "rpc" },
  { flags: "--network <net>", description: "mainnet | testnet | devnet (env BAIOS_NETWORK, default devnet)", key: "network" },
  { flags: "--rpc-token-file <file>", description: "the node's RPC cookie (else env BAIOS_RPC_TOKEN, BAIOS_RPC_TOKEN_FILE, ~/.baios/rpc.cookie)", key: "rpcTokenFile" },
  { flags: "--password-file <file>", description: "read the wallet password from a file (else env BAIOS_WALLET_PASSWORD, else a prompt)", key: "passwordFile" },
];

/** Adds {@link SHARED_OPTIONS} to `c` (the root and the `wallet` group) so they may precede the subcommand. */
export function addSharedOptions(c: Command): Command {
  for (const s of SHARED_OPTIONS) if (c.options.every((o) => o.attributeName() !== s.key)) c.addOption(new Option(s.flags, s.description));
  return c;
}


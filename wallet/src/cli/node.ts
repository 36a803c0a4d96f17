/**
 * `baios node`: starts a node in this process with @baios/node's `startNode`. Flags, `BAIOS_*`
 * environment variables and the config file are read by the node's option table
 * (`@baios/node/config`: commander `Option.env`/`argParser` + valibot, docs/node.md
 * §Configuration), so `baios node --help` lists them from there. Start-up: `--help` and a bad
 * flag load only the option table; the node itself (WebAssembly core, LevelDB, libp2p) is
 * imported once the configuration is valid.
 * @module
 */
import { Command } from "commander";
import { loadConfig, nodeHelp, type PayoutAddress } from "@baios/node/config";
import { defaultP2pListen } from "@baios/node/ports";
import { bytesToHex } from "@noble/hashes/utils.js";
import { decodeAddress } from "../address.ts";
import { showValidatorCommand } from "./init.ts";
import { shutdownSignal } from "./shutdown-signals.ts";
import { applyV8Flags } from "./v8-flags.ts";

/**
 * A `baios1…` (`baiosdev1…`, `baiostest1…`) payout address as the node's public keys (hex): what
 * `--payout` / `BAIOS_PAYOUT` / the config file's `payout` take besides `<viewPublicHex>:<spendPublicHex>`.
 * @throws AddressError for a malformed address (the node reports it as `flag --payout: <reason>`)
 */
export function payoutKeys(text: string): PayoutAddress {
  const a = decodeAddress(text);
  return { viewPublic: bytesToHex(a.viewPublic), spendPublic: bytesToHex(a.spendPublic) };
}

/** The `baios node` command: hands every argument to the node's option table (`loadConfig`) and runs {@link runNode}; `--help` / `-h` prints the table (flag with placeholder, variable, meaning). A `--network` given before `node` (`baios --network testnet node`) counts as if given after it. */
export function nodeCommand(): Command {
  const cmd = new Command("node")
    .description("run a BAIOS node (flags > BAIOS_* env > config file > defaults; --network picks the ports)")
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .passThroughOptions()
    .argument("[flags...]")
    .addCommand(showValidatorCommand())
    .action(async (_flags: string[], _o: unknown, c: Command) => {
      const argv = [...c.args];
      if (argv.includes("--help") || argv.includes("-h")) {
        process.stdout.write(nodeHelp("baios node", `\nCommands:\n  ${"show-validator [--home <dir>] [--json]".padEnd(43)}print the validator's public key and address`));
        return;
      }
      // the shared `--network` of the root command (`baios --network devnet node …`)
      const net = (c.optsWithGlobals() as { network?: string }).network;
      if (net !== undefined && !argv.some((a) => a === "--network" || a.startsWith("--network="))) argv.unshift("--network", net);
      await runNode(argv);
    });
  return cmd;
}

/** Starts the node and keeps it running until SIGINT/SIGTERM, then stops it (`node.stop()`, exit code 0); the signal listeners are in place before start-up, a second signal exits at once (130/143, {@link shutdownSignal}). Prints `rpc <url>` once listening, then `rpc-cookie <path>` (the RPC token file, docs/node.md §Authentication) or `rpc-auth off`, `metrics <url>`, and one `p2p <multiaddr>/p2p/<peerId>` line per p2p listen address (docs/node.md §Network). */
export async function runNode(argv: readonly string[]): Promise<void> {
  // base: p2p on the network's port unless the file, env or a flag says otherwise (`--p2p-listen=` = none)
  const config = loadConfig({ argv, env: process.env, base: (network) => ({ p2pListen: defaultP2pListen(network) }), decodeAddress: payoutKeys });
  applyV8Flags(config.v8Flags); // re-executes this process once with the node's V8 heap flags (docs/node.md §Memory)
  // SIGINT/SIGTERM listeners before anything is opened or printed (after the re-exec, which would drop
  // them): a signal during start-up stops the node once started, one right after the `rpc` line finds them
  const stopSignal = shutdownSignal();
  // keep the stripped TypeScript of what loads next, for the validation workers (docs/node.md §Memory)
  (await import("@baios/node/ts-sources")).recordStrippedSources();
  const { startNode } = await import("@baios/node");
  const node = await startNode(config);
  process.stdout.write(`rpc ${node.rpcUrl}\n`);
  process.stdout.write(node.rpcCookieFile !== undefined ? `rpc-cookie ${node.rpcCookieFile}\n` : "rpc-auth off\n");
  if (node.metricsUrl !== undefined) process.stdout.write(`metrics ${node.metricsUrl}\n`);
  // one line per p2p listen address with our peer id (what other nodes pass to --bootstrap)
  for (const a of node.net?.p2p.addresses() ?? []) process.stdout.write(`p2p ${a}\n`);
  await stopSignal;
  await node.stop();
}

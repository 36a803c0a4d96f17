/**
 * The `baios` command-line program (commander): `node`, `wallet …`, `devnet`.
 *
 * Start-up: only commander is loaded eagerly. Each subcommand's module (and with it the
 * WebAssembly core, the node, libp2p, the wallet) is loaded with a dynamic `import()` when the
 * command line names that subcommand, so `baios --version` and `baios --help` load none of them
 * (measured in README §CLI reference).
 * @module
 */
import { Command } from "commander";
import { addSharedOptions, SHARED_OPTIONS } from "./shared-options.ts";

/** The version printed by `baios --version`. */
export const VERSION = "0.1.0";

/** A subcommand: its one-line description (for the root `--help`) and how to load its real commander command. */
interface Lazy {
  description: string;
  load: () => Promise<Command>;
}

/** The subcommands, loaded on demand (see the module comment). */
const SUBCOMMANDS: Record<string, Lazy> = {
  node: { description: "run a BAIOS node (flags > BAIOS_* env > --config file > defaults)", load: async () => (await import("./node.ts")).nodeCommand() },
  wallet: { description: "wallet commands (keys never leave this process)", load: async () => (await import("./wallet.ts")).walletCommand() },
  init: { description: "create a node home: commented config.json, p2p node key, validator key", load: async () => (await import("./init.ts")).initCommand() },
  devnet: { description: "start a local devnet (4 node processes on loopback) and run private transfers among devnet wallets", load: async () => (await import("./devnet.ts")).devnetCommand() },
  light: { description: "serve the light-client web page on loopback (verifies the node's head and proofs in the browser)", load: async () => (await import("./light.ts")).lightCommand() },
};

/** The first argument that is not an option (nor an option's value): the subcommand name, or undefined. */
function subcommandName(args: readonly string[]): string | undefined {
  const withValue = new Set(SHARED_OPTIONS.map((s) => s.flags.split(" ")[0]!));
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (withValue.has(a)) {
      i++;
      continue;
    }
    if (a === "help") return args.slice(i + 1).find((x) => !x.startsWith("-")); // `baios help wallet`
    if (!a.startsWith("-")) return a;
  }
  return undefined;
}

/**
 * The `baios` commander program (docs/wallet.md §9). Only the subcommand that `argv` names is
 * loaded; the others are listed by name and description so `baios --help` stays fast.
 * @param argv as for {@link main} (node and script first); default `process.argv`
 */
export async function makeProgram(argv: readonly string[] = process.argv): Promise<Command> {
  const program = new Command("baios")
    .enablePositionalOptions()
    .description("BAIOS Chain: node, wallet and devnet")
    .version(VERSION)
    .showSuggestionAfterError(true);
  addSharedOptions(program);
  const wanted = subcommandName(argv.slice(2));
  for (const [name, lazy] of Object.entries(SUBCOMMANDS)) {
    program.addCommand(name === wanted ? await lazy.load() : new Command(name).description(lazy.description));
  }
  // shared options given before the subcommand reach the leaf command's options (innermost wins)
  program.hook("preAction", (_root, action) => {
    const all = action.optsWithGlobals();
    for (const s of SHARED_OPTIONS) if (action.getOptionValue(s.key) === undefined && all[s.key] !== undefined) action.setOptionValue(s.key, all[s.key]);
  });
  return program;
}

/** Parses `argv` (default `process.argv`: node and script first) and runs the command. An error is printed as `error: <message>` on stderr and sets `process.exitCode` to 1 instead of being thrown. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await (await makeProgram(argv)).parseAsync([...argv]);
  } catch (e) {
    if ((e as Error).name === "CancelledError") {
      process.stderr.write("cancelled\n");
      process.exitCode = 130;
      return;
    }
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

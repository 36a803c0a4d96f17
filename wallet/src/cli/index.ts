/** The `baios` command-line program (commander): `node`, `wallet …`, `devnet`. @module */
import { Command } from "commander";
import { devnetCommand } from "./devnet.ts";
import { nodeCommand } from "./node.ts";
import { walletCommand } from "./wallet.ts";

/** The `baios` commander program with the `node`, `wallet` and `devnet` subcommands (docs/wallet.md §9). */
export function makeProgram(): Command {
  return new Command("baios")
    .enablePositionalOptions()
    .description("BAIOS Chain: node, wallet and devnet")
    .version("0.1.0")
    .addCommand(nodeCommand())
    .addCommand(walletCommand())
    .addCommand(devnetCommand());
}

/** Parses `argv` (default `process.argv`: node and script first) and runs the command. An error is printed as `error: <message>` on stderr and sets `process.exitCode` to 1 instead of being thrown. */
export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await makeProgram().parseAsync([...argv]);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

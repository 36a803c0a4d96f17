/** The `baios` command-line program (commander): `node`, `wallet …`, `devnet`. @module */
import { Command } from "commander";
import { devnetCommand } from "./devnet.ts";
import { nodeCommand } from "./node.ts";
import { walletCommand } from "./wallet.ts";

export function makeProgram(): Command {
  return new Command("baios")
    .enablePositionalOptions()
    .description("BAIOS Chain: node, wallet and devnet")
    .version("0.1.0")
    .addCommand(nodeCommand())
    .addCommand(walletCommand())
    .addCommand(devnetCommand());
}

export async function main(argv: readonly string[] = process.argv): Promise<void> {
  try {
    await makeProgram().parseAsync([...argv]);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

/**
 * `baios node`: starts a node in this process with @baios/node's `startNode`. Flags, `BAIOS_*`
 * environment variables and the config file are parsed by the node's own option table
 * (docs/node.md §Configuration), so `baios node --help` lists them from there.
 * @module
 */
import { Command } from "commander";
import { CONFIG_OPTIONS as OPTIONS, loadConfig, startNode } from "@baios/node";

/** The `baios node` command: hands every argument to the node's own option parser (`loadConfig`, docs/node.md §Configuration) and runs {@link runNode}; `--help` / `-h` lists the node's option table (flag, env variable, meaning). */
export function nodeCommand(): Command {
  const help = OPTIONS.map((o) => `  ${`--${o.flag}`.padEnd(24)} ${o.env.padEnd(26)} ${o.doc}`).join("\n");
  return new Command("node")
    .description("run a BAIOS node (flags > BAIOS_* env > --config file > defaults)")
    .allowUnknownOption(true)
    .allowExcessArguments(true)
    .helpOption(false)
    .passThroughOptions()
    .argument("[flags...]")
    .addHelpText("after", `\nOptions (flag, environment variable, meaning):\n  ${"--config <file>".padEnd(24)} ${"BAIOS_CONFIG".padEnd(26)} JSON config file\n${help}`)
    .action(async (_flags: string[], _o: unknown, cmd: Command) => {
      const argv = cmd.args;
      if (argv.includes("--help") || argv.includes("-h")) {
        cmd.outputHelp();
        return;
      }
      await runNode(argv);
    });
}

/** Starts the node and keeps it running until SIGINT/SIGTERM. Prints `rpc <url>` once listening, then `rpc-cookie <path>` (the RPC token file, docs/node.md §Authentication) or `rpc-auth off`, `metrics <url>`, and one `p2p <multiaddr>/p2p/<peerId>` line per p2p listen address (docs/node.md §Network). */
export async function runNode(argv: readonly string[]): Promise<void> {
  const config = loadConfig({ argv, env: process.env });
  const node = await startNode(config);
  process.stdout.write(`rpc ${node.rpcUrl}\n`);
  process.stdout.write(node.rpcCookieFile !== undefined ? `rpc-cookie ${node.rpcCookieFile}\n` : "rpc-auth off\n");
  if (node.metricsUrl !== undefined) process.stdout.write(`metrics ${node.metricsUrl}\n`);
  // one line per p2p listen address with our peer id (what other nodes pass to --bootstrap)
  for (const a of node.net?.p2p.addresses() ?? []) process.stdout.write(`p2p ${a}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      void node.stop().then(resolve, resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
